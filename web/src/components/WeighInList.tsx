/** History's weigh-ins: the daily weights of the last 90 days, newest first, each with its trend weight. */
import { useMemo, useState } from 'preact/hooks';
import { getWeights } from '../api/queries.ts';
import type { WeightSeries } from '../api/types.ts';
import { todayValue } from '../daily.ts';
import { formatDate } from '../format.ts';
import { useLoad } from '../load.ts';
import { Link } from '../router.tsx';
import { formatQuantity, type Units } from '../units.ts';
import { Loading, LoadError } from './page.tsx';
import { TableRegion } from './tableRegion.tsx';

const DAYS = 90;
/** Weigh-ins listed before "Show all". */
const SHOWN = 14;
const SOURCE: Record<NonNullable<WeightSeries['weights'][number]['source']>, string> = {
  manual: 'Logged',
  import: 'Imported',
  measurement: 'Measurement',
};

const loadWeights = () => getWeights(todayValue(new Date(Date.now() - (DAYS - 1) * 86_400_000)));

export function WeighInList({ units }: { units: Units }) {
  const data = useLoad(loadWeights, []);
  const [all, setAll] = useState(false);
  const weighIns = useMemo(() => (data.data?.weights ?? []).filter((d) => d.weight_kg !== null).reverse(), [data.data]);
  const shown = all ? weighIns : weighIns.slice(0, SHOWN);
  return (
    <section class="card weigh-ins" aria-labelledby="weigh-ins-heading">
      <h2 id="weigh-ins-heading">Weigh-ins</h2>
      {data.error ? <LoadError message={data.error} retry={data.reload} /> : null}
      {data.loading && !data.data ? <Loading what="your weigh-ins" /> : null}
      {data.data && weighIns.length === 0 ? (
        <p>
          No weigh-ins in the last {DAYS} days. <Link href="/daily">Log one on the Daily log.</Link>
        </p>
      ) : null}
      {weighIns.length ? (
        <>
          <TableRegion label="Weigh-ins">
            <table class="cards">
              <caption class="visually-hidden">Weigh-ins of the last {DAYS} days, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col" class="num">
                    Weight
                  </th>
                  <th scope="col" class="num">
                    Trend weight
                  </th>
                  <th scope="col">From</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((day) => (
                  <tr key={day.date} data-testid={`weigh-in-${day.date}`}>
                    <th scope="row" class="date">
                      {formatDate(`${day.date}T12:00:00Z`)}
                    </th>
                    <td class="num" data-label="Weight">
                      {formatQuantity('weight', day.weight_kg ?? day.interpolated_kg, units)}
                    </td>
                    <td class="num" data-label="Trend">
                      {formatQuantity('weight', day.trend_weight_kg, units)}
                    </td>
                    <td data-label="From">{day.source ? SOURCE[day.source] : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
          {weighIns.length > shown.length ? (
            <button type="button" class="button small" onClick={() => setAll(true)}>
              Show all {weighIns.length} weigh-ins
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
