import { useEffect, useRef, useState } from 'preact/hooks';
import type { Measurement } from '../api/types.ts';
import { allGoals, deleteMeasurement, listMeasurements, listProgress } from '../api/queries.ts';
import { ConfirmedDelete } from '../components/ConfirmedDelete.tsx';
import { Loading, LoadError, Page } from '../components/page.tsx';
import { TableRegion } from '../components/tableRegion.tsx';
import { WeighInList } from '../components/WeighInList.tsx';
import { ignoreGone } from '../dayLog.ts';
import { formatDateTime, formatPercent, signed } from '../format.ts';
import { historyRows, isDeletable, measurementSites } from '../history.ts';
import { useLoad } from '../load.ts';
import { METHOD_LABEL } from '../methods.ts';
import { Link } from '../router.tsx';
import { formatQuantity, useUnits } from '../units.ts';

const PAGE = 50;

async function loadHistory(pages: number) {
  const [lists, goals] = await Promise.all([
    Promise.all(Array.from({ length: pages }, (_, i) => listMeasurements(PAGE, i * PAGE))),
    allGoals(),
  ]);
  // The check-ins of every goal, however old (an old goal's rows appear with "Show older entries"); each links one measurement.
  const entries = await Promise.all(goals.map(async (goal) => ({ goal, progress: await listProgress(goal.id) })));
  return {
    rows: historyRows(
      lists.flatMap((l) => l.measurements),
      entries,
    ),
    total: lists[0]?.total ?? 0,
  };
}

export function History() {
  const units = useUnits();
  const [pages, setPages] = useState(1);
  const data = useLoad(() => loadHistory(pages), [pages]);
  // Deleted rows go at once, before the reload that confirms it; the focused "Yes, delete" went with them,
  // so focus goes to the message saying so.
  const [deleted, setDeleted] = useState<{ ids: string[]; message: string } | null>(null);
  const status = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (deleted) status.current?.focus();
  }, [deleted]);
  const onDeleted = (m: Measurement) => {
    setDeleted((previous) => ({
      ids: [...(previous?.ids ?? []), m.id],
      message: `The measurement of ${formatDateTime(m.measured_at)} was deleted.`,
    }));
    data.reload();
  };
  const rows = (data.data?.rows ?? []).filter((row) => !deleted?.ids.includes(row.measurement.id));
  return (
    <Page
      title="History"
      lead="Every measurement, newest first; check-ins show the week of their goal and the change since the one before. Your daily weigh-ins follow."
    >
      {data.error ? <LoadError message={data.error} retry={data.reload} /> : null}
      {data.loading && !data.data ? <Loading what="your history" /> : null}
      {deleted ? (
        <div class="alert alert-success" role="status" tabIndex={-1} ref={status}>
          {deleted.message}
        </div>
      ) : null}
      {data.data && rows.length === 0 ? (
        <div class="card">
          <p>Nothing logged yet.</p>
          <Link class="button primary" href="/measurements/new">
            Log measurement
          </Link>
        </div>
      ) : null}
      {rows.length ? (
        <TableRegion label="Measurements">
          <table class="history cards">
            <caption class="visually-hidden">Measurements and check-ins, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Entry</th>
                <th scope="col">Method</th>
                <th scope="col" class="num">
                  Weight
                </th>
                <th scope="col" class="num">
                  Body fat
                </th>
                <th scope="col" class="num">
                  Change
                </th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const { measurement: m, entry, startOf } = row;
                return (
                  <tr key={m.id} data-testid={`measurement-${m.id}`}>
                    <td class="date">{formatDateTime(m.measured_at)}</td>
                    <td class="entry">
                      {entry ? (
                        <>
                          Check-in, week {entry.progress.week_number} <span class="muted">({entry.goal.goal_type})</span>
                        </>
                      ) : startOf ? (
                        <>Start of {startOf.goal_type} goal</>
                      ) : (
                        'Measurement'
                      )}
                      {(entry?.progress.notes ?? m.notes) ? <div class="muted note">{entry?.progress.notes ?? m.notes}</div> : null}
                    </td>
                    <td data-label="Method">
                      {METHOD_LABEL[m.calculation_method]}
                      <div class="muted note" data-testid="sites">
                        {measurementSites(m, units)}
                      </div>
                    </td>
                    <td class="num" data-label="Weight">
                      {formatQuantity('weight', m.weight_kg, units)}
                    </td>
                    <td class="num" data-label="Body fat">
                      {formatPercent(m.calculated_body_fat_percentage)}
                    </td>
                    <td class="num" data-label="Change">
                      {entry ? `${signed(entry.progress.body_fat_change, 2)} pts` : '—'}
                    </td>
                    <td class="row-action">{isDeletable(row) ? <DeleteMeasurement measurement={m} onDeleted={onDeleted} /> : null}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      {data.data && data.data.total > rows.length ? (
        <button type="button" class="button" onClick={() => setPages(pages + 1)} disabled={data.loading}>
          Show older entries
        </button>
      ) : null}
      <WeighInList units={units} />
    </Page>
  );
}

/** A refusal (409 when a goal or check-in took the measurement meanwhile) is said next to Delete. */
function DeleteMeasurement({ measurement, onDeleted }: { measurement: Measurement; onDeleted: (m: Measurement) => void }) {
  return (
    <ConfirmedDelete
      id={measurement.id}
      label={`Delete the measurement of ${formatDateTime(measurement.measured_at)}`}
      question="Delete this measurement? It cannot be undone."
      remove={async () => {
        await deleteMeasurement(measurement.id).catch(ignoreGone);
        onDeleted(measurement);
      }}
    />
  );
}
