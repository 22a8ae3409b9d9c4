/**
 * Daily logs, expenditure and the plan's projection in words and chart series (docs/SCIENCE.md 7–10). Pure:
 * the screens and the charts read these, and web/test checks them.
 */
import { WEEKLY_RATE_PERCENT } from './api/generated/rules.ts';
import type { Expenditure, GoalType, Intake, IntakeBody, IntakeList, Projection, ProjectionComparison, WeightSeries } from './api/types.ts';
import { formatKcal, plural } from './format.ts';
import { planSentence } from './goalOutlook.ts';
import { formatQuantity, toDisplay, type Units } from './units.ts';
import type { XY } from './components/chartSeries.ts';

const { cutting, bulking } = WEEKLY_RATE_PERCENT;
/**
 * The weekly rates offered, slowest first: the slowest, default and fastest the API allows for the
 * goal type, and for a cut also the step between its default and fastest.
 */
export const WEEKLY_RATES: Record<GoalType, { values: number[]; default: number }> = {
  cutting: { values: [cutting.min, cutting.default, (cutting.default + cutting.max) / 2, cutting.max], default: cutting.default },
  bulking: { values: [bulking.min, bulking.default, bulking.max], default: bulking.default },
};

export function rateLabel(type: GoalType, rate: number): string {
  const tag = rate === WEEKLY_RATES[type].default ? ' (recommended)' : '';
  return `${rate} % of body weight a week${tag}`;
}

/** An example in kilograms (or pounds) for the hint: "At 85.0 kg, 0.5 % is about 0.43 kg a week." */
export function rateHint(type: GoalType, weightKg: number | null, units: Units, rate: number = WEEKLY_RATES[type].default): string {
  const what = type === 'cutting' ? 'lose' : 'gain';
  const base = `How fast to ${what}. Faster ${type === 'cutting' ? 'costs more muscle and hunger' : 'adds more fat'}.`;
  if (weightKg === null) return base;
  return `${base} At ${formatQuantity('weight', weightKg, units)}, ${rate} % is about ${formatQuantity('weight', (weightKg * rate) / 100, units, 2)} a week.`;
}

/** Today as YYYY-MM-DD in the browser's time zone (what the person calls "today"). */
export function todayValue(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const DAY_MS = 86_400_000;
const dayIndex = (from: string, date: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The weight chart: the day's raw weights (points) and the trend line, x = days since the first. */
export function weightSeries(series: WeightSeries, units: Units): { raw: (XY & { date: string })[]; trend: (XY & { date: string })[] } {
  const first = series.weights[0]?.date ?? series.from;
  const display = (kg: number) => Math.round(toDisplay('weight', kg, units) * 100) / 100;
  return {
    raw: series.weights.flatMap((d) =>
      d.weight_kg === null ? [] : [{ x: dayIndex(first, d.date), y: display(d.weight_kg), date: d.date }],
    ),
    trend: series.weights.map((d) => ({ x: dayIndex(first, d.date), y: display(d.trend_weight_kg), date: d.date })),
  };
}

/**
 * "Trend weight 66.6 kg (66.2 kg on the scale today). Trend down 0.28 kg a week.": the one current
 * weight and the one weekly rate (docs/SCIENCE.md 7), as the dashboard shows them.
 */
export function weightSummary(series: WeightSeries, units: Units, today = todayValue()): string {
  const last = series.weights.at(-1);
  if (!last) return 'No weigh-ins yet.';
  const scale =
    last.date === today && last.weight_kg !== null ? ` (${formatQuantity('weight', last.weight_kg, units)} on the scale today)` : '';
  const rate =
    series.weekly_rate_kg === null
      ? 'Log a few more days to see your weekly rate.'
      : `Trend ${series.weekly_rate_kg < 0 ? 'down' : series.weekly_rate_kg > 0 ? 'up' : 'flat'} ${formatQuantity('weight', Math.abs(series.weekly_rate_kg), units, 2)} a week.`;
  return `Trend weight ${formatQuantity('weight', last.trend_weight_kg, units)}${scale}. ${rate}`;
}

/** The expenditure chart: the estimate day by day and its 95 % band. */
export function expenditureSeries(e: Expenditure): { estimate: XY[]; low: XY[]; high: XY[] } {
  const first = e.series[0]?.date ?? e.as_of;
  return {
    estimate: e.series.map((d) => ({ x: dayIndex(first, d.date), y: d.tdee_kcal })),
    low: e.series.map((d) => ({ x: dayIndex(first, d.date), y: d.tdee_low_kcal })),
    high: e.series.map((d) => ({ x: dayIndex(first, d.date), y: d.tdee_high_kcal })),
  };
}

/**
 * "About 2,610 kcal a day (likely 2,480–2,740), measured from 35 days of your logs." and, when
 * the last weeks hold days logged only partly, that they are left out (docs/SCIENCE.md 9).
 */
export function expenditureSummary(e: Expenditure): string {
  const band = `likely ${formatKcal(e.tdee_low_kcal).replace(' kcal', '')}–${formatKcal(e.tdee_high_kcal)}`;
  const head = `About ${formatKcal(e.tdee_kcal)} a day (${band}).`;
  const partial = e.window.incomplete_days;
  const leftOut = partial > 0 ? ` Left out: ${plural(partial, 'partial day')} of the last ${e.window.days}.` : '';
  if (e.method === 'equation')
    return `${head} Estimated from your profile only: log your weight and what you eat for three or four weeks to measure it.${leftOut}`;
  const source = e.method === 'adaptive' ? 'Measured from' : 'Partly measured from';
  return `${head} ${source} ${plural(e.data_days, 'day')} of your logs.${leftOut}`;
}

/** The days with a weigh-in or food logged, of those loaded. */
export function daysLogged(weights: WeightSeries, intake: IntakeList): number {
  const days = new Set(intake.intake.map((day) => day.date));
  for (const day of weights.weights) if (day.weight_kg !== null) days.add(day.date);
  return days.size;
}

/** "150 g protein, 210 g carbs": the macros logged with a day; '' without any. */
export function macrosText(day: Pick<Intake, 'protein_g' | 'carbs_g' | 'fat_g'>): string {
  const parts = [
    [day.protein_g, 'protein'],
    [day.carbs_g, 'carbs'],
    [day.fat_g, 'fat'],
  ] as const;
  return parts.flatMap(([grams, name]) => (grams === null ? [] : [`${grams} g ${name}`])).join(', ');
}

/** The day as logged with `complete` changed: a PUT replaces the whole day, so everything else goes with it. */
export const intakeWithComplete = (day: Intake, complete: boolean): IntakeBody => ({
  calories: day.calories,
  protein_g: day.protein_g,
  carbs_g: day.carbs_g,
  fat_g: day.fat_g,
  complete,
});

/** The plan's curve and band on the dashboard chart's axes: x = weeks since the first data point. */
export function projectionSeries(projection: Projection, originIso: string): { plan: XY[]; low: XY[]; high: XY[] } {
  const offset = (Date.parse(projection.start) - Date.parse(originIso)) / (7 * DAY_MS);
  const x = (week: number) => Math.round((offset + week) * 100) / 100;
  return {
    plan: projection.points.map((p) => ({ x: x(p.week), y: p.body_fat_percentage })),
    low: projection.points.map((p) => ({ x: x(p.week), y: p.body_fat_low_percentage })),
    high: projection.points.map((p) => ({ x: x(p.week), y: p.body_fat_high_percentage })),
  };
}

/** The plan at its start, in the dashboard's words (goalOutlook.ts): "15.0 % in about 45 weeks (41–49) on your plan." */
export function projectionSummary(projection: Projection, limit: number | null): string {
  return planSentence(
    { weeks: projection.weeks_to_goal, weeks_low: projection.weeks_to_goal_fastest, weeks_high: projection.weeks_to_goal_slowest },
    limit,
  );
}

/**
 * "Ahead of the plan by 0.7 points." Without days: how long is left is the forecast's to say
 * (goalOutlook.ts, forecastText), in one wording.
 */
export function comparisonText(c: ProjectionComparison): string {
  const points = `${Math.abs(c.by_body_fat_points).toFixed(1)} points`;
  if (c.status === 'on_track') return `On track with the plan: within ${c.tolerance.toFixed(1)} points of where it expected you.`;
  return `${c.status === 'ahead' ? 'Ahead of' : 'Behind'} the plan by ${points}.`;
}
