/**
 * Daily log (docs/DESIGN.md, 'Daily logs'): a day's weight and what was eaten, the trend weight over the raw weigh-ins,
 * the expenditure Recomp measures from them, with its band, and the logged days, each of which can be
 * marked complete or partial (docs/SCIENCE.md 9, "Incomplete days in the estimate").
 */
import { useMemo, useState } from 'preact/hooks';
import type { Expenditure, IntakeList, User, WeightSeries } from '../api/types.ts';
import { getExpenditure, getIntake, getWeights } from '../api/queries.ts';
import { DailyChart, type DailyLine } from '../components/DailyChart.tsx';
import { DayForm, type DayRequest } from '../components/DayForm.tsx';
import { IMPORT_HREF } from '../components/ImportCard.tsx';
import { Loading, LoadError, Page } from '../components/page.tsx';
import { RecentDays } from '../components/RecentDays.tsx';
import { SyncList } from '../components/SyncList.tsx';
import { daysLogged, expenditureSeries, expenditureSummary, todayValue, weightSeries, weightSummary } from '../daily.ts';
import { loggedDays } from '../dayLog.ts';
import { formatKcal } from '../format.ts';
import { IMPORTED_APPS } from '../imports.ts';
import { useLoad } from '../load.ts';
import { Link } from '../router.tsx';
import { unitLabel, type Units, useUnits } from '../units.ts';

const HISTORY_DAYS = 60;
/** Below this many days logged, the log offers to import a history: the estimate wants food on half of its 28 days (docs/SCIENCE.md 9, 'Enough logs'). */
const FEW_DAYS = 14;

async function loadLogs(): Promise<{ weights: WeightSeries; expenditure: Expenditure | null; intake: IntakeList }> {
  const from = todayValue(new Date(Date.now() - (HISTORY_DAYS - 1) * 86_400_000));
  const [weights, expenditure, intake] = await Promise.all([getWeights(from), getExpenditure(), getIntake(from)]);
  return { weights, expenditure, intake };
}

export function DailyLog(_props: { user: User }) {
  const units = useUnits();
  const data = useLoad(loadLogs, []);
  const days = useMemo(() => (data.data ? loggedDays(data.data.weights, data.data.intake) : null), [data.data]);
  const [request, setRequest] = useState<DayRequest | null>(null);
  return (
    <Page
      title="Daily log"
      lead="Weigh yourself each morning and log what you eat. Recomp smooths out water swings and measures how much you really burn."
    >
      {data.data && daysLogged(data.data.weights, data.data.intake) < FEW_DAYS ? (
        <p class="alert alert-info" data-testid="import-suggestion">
          Logged your weight or food in {IMPORTED_APPS}? <Link href={IMPORT_HREF}>Import your history</Link> so that your trend and
          expenditure start from those weeks.
        </p>
      ) : null}
      <SyncList />
      <DayForm units={units} request={request} onSaved={data.reload} />
      {data.error ? <LoadError message={data.error} retry={data.reload} /> : null}
      {data.loading && !data.data ? <Loading what="your log" /> : null}
      {data.data ? <LogCharts weights={data.data.weights} expenditure={data.data.expenditure} units={units} /> : null}
      {days ? (
        <RecentDays
          days={days}
          historyDays={HISTORY_DAYS}
          units={units}
          onEdit={(day) => setRequest({ kind: 'edit', day, at: Date.now() })}
          onChanged={(date) => {
            data.reload();
            setRequest({ kind: 'reload', date, at: Date.now() });
          }}
        />
      ) : null}
    </Page>
  );
}

const WEIGHT_COLOR = 'weight';
const TREND_COLOR = 'trend';
const ESTIMATE_COLOR = 'expenditure';

function LogCharts({ weights, expenditure, units }: { weights: WeightSeries; expenditure: Expenditure | null; units: Units }) {
  const weightLines = useMemo((): DailyLine[] => {
    const s = weightSeries(weights, units);
    return [
      { label: 'Weigh-ins', data: s.raw, color: WEIGHT_COLOR, points: true },
      { label: 'Trend weight', data: s.trend, color: TREND_COLOR },
    ];
  }, [weights, units]);
  const expenditureLines = useMemo((): DailyLine[] => {
    if (!expenditure) return [];
    const s = expenditureSeries(expenditure);
    return [
      { label: 'Low', data: s.low, color: ESTIMATE_COLOR, hidden: true },
      { label: 'Likely range', data: s.high, color: ESTIMATE_COLOR, fillToPrevious: true },
      { label: 'Expenditure', data: s.estimate, color: ESTIMATE_COLOR },
    ];
  }, [expenditure]);
  return (
    <div class="grid-2">
      <section class="card" aria-labelledby="weight-heading">
        <h2 id="weight-heading">Weight trend</h2>
        {weights.weights.length ? (
          <DailyChart
            lines={weightLines}
            origin={weights.weights[0]!.date}
            yTitle={`Weight (${unitLabel('weight', units)})`}
            label="Chart of daily weigh-ins and the smoothed trend weight."
            summary={weightSummary(weights, units)}
            testId="weight-summary"
          />
        ) : (
          <p data-testid="weight-summary">No weigh-ins yet. Your first one starts the trend.</p>
        )}
      </section>
      <section class="card" aria-labelledby="expenditure-heading">
        <h2 id="expenditure-heading">Your expenditure</h2>
        {expenditure ? (
          <>
            <p class="big-number" data-testid="expenditure-kcal">
              {formatKcal(expenditure.tdee_kcal)}/day
            </p>
            <DailyChart
              lines={expenditureLines}
              origin={expenditure.series[0]?.date ?? expenditure.as_of}
              yTitle="kcal a day"
              label="Chart of the estimated daily expenditure and its likely range."
              summary={expenditureSummary(expenditure)}
              testId="expenditure-summary"
            />
          </>
        ) : (
          <p data-testid="expenditure-summary">Log a weight to see an estimate.</p>
        )}
      </section>
    </div>
  );
}
