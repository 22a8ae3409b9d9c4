/**
 * The goal's one timeline on the dashboard (docs/SCIENCE.md 10.1): the plan and the current rate in
 * one wording with their 80 % ranges, why they differ when they do, and the one current weight.
 */
import type { Trends } from '../api/types.ts';
import { currentWeightText, forecastText } from '../goalOutlook.ts';
import { useUnits } from '../units.ts';

export function GoalForecast({ trends, loading, limit }: { trends: Trends | null; loading: boolean; limit: number | null }) {
  const units = useUnits();
  if (!trends) return loading ? <p class="muted">Working out your timeline…</p> : null;
  const weight = currentWeightText(trends.forecast, units);
  return (
    <div class="goal-forecast">
      <p data-testid="goal-forecast">
        <strong>{forecastText(trends.forecast, limit)}</strong>
        {trends.forecast.explanation ? <> {trends.forecast.explanation}</> : null}
      </p>
      {weight ? (
        <p class="muted" data-testid="current-weight">
          Weight: {weight}
        </p>
      ) : null}
    </div>
  );
}
