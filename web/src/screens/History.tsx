import { useState } from 'preact/hooks';
import type { Goal, Measurement, ProgressEntry } from '../api/types.ts';
import { allGoals, listMeasurements, listProgress } from '../api/queries.ts';
import { Loading, LoadError, Page } from '../components/page.tsx';
import { formatDateTime, formatPercent, signed } from '../format.ts';
import { useLoad } from '../load.ts';
import { METHOD_LABEL } from '../methods.ts';
import { Link } from '../router.tsx';
import { formatQuantity, useUnits } from '../units.ts';

const PAGE = 50;

interface Row { measurement: Measurement; entry?: { goal: Goal; progress: ProgressEntry }; startOf?: Goal }

async function loadHistory(pages: number) {
  const [lists, goals] = await Promise.all([
    Promise.all(Array.from({ length: pages }, (_, i) => listMeasurements(PAGE, i * PAGE))),
    allGoals(),
  ]);
  const list = { measurements: lists.flatMap((l) => l.measurements), total: lists[0]?.total ?? 0 };
  // The check-ins of every goal, however old (an old goal's rows appear with "Show older entries"); each links one measurement.
  const entries = await Promise.all(goals.map(async (goal) => ({ goal, progress: await listProgress(goal.id) })));
  const byMeasurement = new Map<string, { goal: Goal; progress: ProgressEntry }>();
  for (const { goal, progress } of entries) for (const p of progress) byMeasurement.set(p.measurement_id, { goal, progress: p });
  const starts = new Map(goals.map((g) => [g.initial_measurement_id, g]));
  const rows: Row[] = list.measurements.map((m) => {
    const entry = byMeasurement.get(m.id);
    const startOf = starts.get(m.id);
    return { measurement: m, ...(entry ? { entry } : {}), ...(startOf ? { startOf } : {}) };
  });
  return { rows, total: list.total };
}

export function History() {
  const units = useUnits();
  const [pages, setPages] = useState(1);
  const data = useLoad(() => loadHistory(pages), [pages]);
  const rows = data.data?.rows ?? [];
  return (
    <Page title="History" lead="Every measurement, newest first; check-ins show the week of their goal and the change since the one before.">
      {data.error ? <LoadError message={data.error} retry={data.reload} /> : null}
      {data.loading && !data.data ? <Loading what="your history" /> : null}
      {data.data && rows.length === 0 ? (
        <div class="card"><p>Nothing logged yet.</p><Link class="button primary" href="/measurements/new">Log measurement</Link></div>
      ) : null}
      {rows.length ? (
        <div class="table-wrap">
          <table class="history">
            <caption class="visually-hidden">Measurements and check-ins, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th><th scope="col">Entry</th><th scope="col">Method</th>
                <th scope="col" class="num">Weight</th><th scope="col" class="num">Body fat</th><th scope="col" class="num">Change</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ measurement: m, entry, startOf }) => (
                <tr key={m.id}>
                  <td>{formatDateTime(m.measured_at)}</td>
                  <td>
                    {entry ? <>Check-in, week {entry.progress.week_number} <span class="muted">({entry.goal.goal_type})</span></> : startOf ? <>Start of {startOf.goal_type} goal</> : 'Measurement'}
                    {(entry?.progress.notes ?? m.notes) ? <div class="muted note">{entry?.progress.notes ?? m.notes}</div> : null}
                  </td>
                  <td>{METHOD_LABEL[m.calculation_method]}</td>
                  <td class="num">{formatQuantity('weight', m.weight_kg, units)}</td>
                  <td class="num">{formatPercent(m.calculated_body_fat_percentage)}</td>
                  <td class="num">{entry ? `${signed(entry.progress.body_fat_change, 2)} pts` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data.data && data.data.total > rows.length ? (
        <button type="button" class="button" onClick={() => setPages(pages + 1)} disabled={data.loading}>Show older entries</button>
      ) : null}
    </Page>
  );
}
