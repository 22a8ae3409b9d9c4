/**
 * The dashboard chart's series from GET /goals/{id}/trends, as x = weeks since the goal's first
 * measurement (fractional, so daily weigh-ins spread out) — the same x the API's trend line uses;
 * the axes label x with the date it stands for. Pure data, so the summary sentence under the chart
 * and the chart itself say the same thing.
 */
import type { GoalType, Projection, Trends } from '../api/types.ts';
import { projectionSeries } from '../daily.ts';
import { formatPercent, plural, signed } from '../format.ts';
import { currentWeightText } from '../goalOutlook.ts';
import { formatQuantity, toDisplay, unitLabel, type Units } from '../units.ts';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** What every chart of the app shares: sized by its box, drawn at once, data already as {x, y}. */
export const CHART_BASE = { responsive: true, maintainAspectRatio: false, animation: false, parsing: false } as const;
/**
 * Writes the x axis's labels, as Chart.js laid them out, onto the canvas (`data-x-labels`, joined
 * by "|"): a canvas's text is otherwise out of reach of the browser tests.
 */
export const xLabelsOnCanvas = {
  id: 'xLabelsOnCanvas',
  afterLayout(chart: { canvas: HTMLCanvasElement; scales: Record<string, { ticks: { label?: unknown }[] } | undefined> }) {
    chart.canvas.dataset.xLabels = (chart.scales.x?.ticks ?? []).map((tick) => String(tick.label ?? '')).join('|');
  },
};

export interface XY {
  x: number;
  y: number;
}

export interface ChartSeries {
  bodyFat: (XY & { date: string })[];
  weight: (XY & { date: string })[];
  average: XY[];
  trend: XY[];
  projection: XY[];
  /** the goal's energy-balance plan (docs/SCIENCE.md 10) and its band; empty for goals without one */
  plan: XY[];
  planLow: XY[];
  planHigh: XY[];
  limit: XY[];
  /** the first point's date, x = 0 */
  origin: string | null;
  xMax: number;
}

/**
 * How far past the last measurement the chart looks: the next part of the forecast, not all of it.
 * Eight weeks, or half the span measured so far when that is longer, so the data keep most of the
 * width and a projection months away does not squeeze them into a corner; a line that runs on is
 * cut at the edge.
 */
const AHEAD_WEEKS = 8;
const AHEAD_SHARE = 0.5;
export const chartEnd = (lastX: number, forecastEnd: number) =>
  Math.max(1, lastX, Math.min(forecastEnd, lastX + Math.max(AHEAD_WEEKS, lastX * AHEAD_SHARE)));

const round2 = (x: number) => Math.round(x * 100) / 100;

export function chartSeries(trends: Trends, units: Units, goalProjection: Projection | null = null): ChartSeries {
  const points = trends.data_points;
  const origin = points[0] ? new Date(points[0].date).getTime() : 0;
  const xOf = (iso: string) => round2((new Date(iso).getTime() - origin) / WEEK_MS);
  const bodyFat = points.map((p) => ({ x: xOf(p.date), y: p.body_fat_percentage, date: p.date }));
  const weight = points.map((p) => ({ x: xOf(p.date), y: round2(toDisplay('weight', p.weight_kg, units)), date: p.date }));
  // The 4-week average starts at the 4th point (src/domain/trends.ts), one value per point after.
  const offset = points.length - trends.moving_average_4week.length;
  const average = trends.moving_average_4week.map((m, i) => ({ x: bodyFat[offset + i]?.x ?? m.week, y: m.value }));
  const lastX = bodyFat.at(-1)?.x ?? 0;
  const line = trends.trend_line;
  const at = (x: number) => (line ? round2(line.intercept + line.slope * x) : 0);
  const trend =
    line && bodyFat.length >= 2
      ? [
          { x: 0, y: at(0) },
          { x: lastX, y: at(lastX) },
        ]
      : [];
  const outlook = trendOutlook(trends);
  const latest = bodyFat.at(-1);
  const projection =
    latest && outlook.kind === 'reaches'
      ? [
          { x: latest.x, y: latest.y },
          { x: Math.max(latest.x, xOf(outlook.date)), y: outlook.goal },
        ]
      : [];
  const planned = goalProjection && points[0] ? projectionSeries(goalProjection, points[0].date) : { plan: [], low: [], high: [] };
  const xMax = chartEnd(lastX, Math.max(projection.at(-1)?.x ?? 0, planned.plan.at(-1)?.x ?? 0));
  const limit =
    trends.target_body_fat === null
      ? []
      : [
          { x: 0, y: trends.target_body_fat },
          { x: xMax, y: trends.target_body_fat },
        ];
  return {
    bodyFat,
    weight,
    average,
    trend,
    projection,
    plan: planned.plan,
    planLow: planned.low,
    planHigh: planned.high,
    limit,
    origin: points[0]?.date ?? null,
    xMax,
  };
}

/**
 * Where the check-ins' own rate takes the latest body fat: the dashboard's observed forecast
 * (docs/SCIENCE.md 10.1), so the line ends on the date its sentence gives. Never (too few
 * check-ins, or heading away), already, or on `date` at `goal` (the target or ceiling).
 */
type TrendOutlook = { kind: 'none' } | { kind: 'away' } | { kind: 'due' } | { kind: 'reaches'; date: string; goal: number };

function trendOutlook(trends: Trends): TrendOutlook {
  const observed = trends.forecast.observed;
  if (observed === null || trends.target_body_fat === null || trends.data_points.length < 2) return { kind: 'none' };
  if (observed.weeks === null || observed.date === null) return { kind: 'away' };
  if (observed.weeks === 0) return { kind: 'due' };
  return { kind: 'reaches', date: observed.date, goal: trends.target_body_fat };
}

/**
 * What the chart shows of the projection, after chartSummary (which names the target or ceiling,
 * so "it"): why no projection line is drawn, or that the trend is already there. When the trend
 * reaches it, the line says so; when, in weeks, is the dashboard's one forecast sentence, not the
 * chart's.
 */
export function projectionNote(trends: Trends, goalType: GoalType): string {
  const outlook = trendOutlook(trends);
  switch (outlook.kind) {
    case 'away':
      return 'The trend heads away from it, so no projection is drawn.';
    case 'due':
      return `Your trend is already there: a check-in at or ${goalType === 'cutting' ? 'below' : 'above'} it completes the goal.`;
    default:
      return '';
  }
}

// A daily chart counts calendar days (midnight UTC, as the API writes them): read them in UTC, or
// a browser west of Greenwich would label each day with the one before.
const shortDate = {
  week: new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }),
  day: new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' }),
};
/** About this many dates on an axis: they fit a phone's width side by side. */
const TICKS = 5;

/**
 * The x axis as dates: x counts `unit`s (a week or a day) from `originIso`, and the ticks fall on
 * whole steps of it from the first point (the same weekday on a weekly chart), about five of them,
 * labelled "6 Dec".
 */
export function dateAxis(originIso: string, unit: 'week' | 'day', span: number) {
  const unitMs = unit === 'week' ? WEEK_MS : DAY_MS;
  // A step of whole units, a week at least on a daily chart of more than a fortnight.
  const raw = Math.max(1, Math.ceil(span / TICKS));
  const step = unit === 'day' && span > 14 ? Math.ceil(raw / 7) * 7 : raw;
  const origin = Date.parse(originIso);
  return {
    type: 'linear' as const,
    min: 0,
    max: span,
    ticks: {
      stepSize: step,
      // The end is where the forecast is cut, not a date of its own: a label there would crowd the last step's.
      includeBounds: false,
      autoSkip: true,
      maxRotation: 0,
      callback: (value: number | string) => shortDate[unit].format(new Date(origin + Number(value) * unitMs)),
    },
  };
}

/** The text alternative: "Body fat 23.6 %, down 0.5 points in 1 week." and the same for weight. */
export function chartSummary(trends: Trends, goalType: GoalType, units: Units): string {
  const points = trends.data_points;
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return 'No measurements yet.';
  const limitWord = goalType === 'cutting' ? 'target' : 'ceiling';
  const limit = trends.target_body_fat === null ? '' : ` Your ${limitWord} is ${formatPercent(trends.target_body_fat)}.`;
  if (points.length === 1) {
    return `Body fat ${formatPercent(last.body_fat_percentage)}, weight ${formatQuantity('weight', last.weight_kg, units)}, at the start of your goal.${limit}`;
  }
  const weeks = Math.max(0, Math.round((new Date(last.date).getTime() - new Date(first.date).getTime()) / WEEK_MS));
  const span = weeks === 0 ? 'since the start this week' : `in ${plural(weeks, 'week')}`;
  const bf = last.body_fat_percentage - first.body_fat_percentage;
  const direction = (delta: number) => (Math.abs(delta) < 0.05 ? 'unchanged' : delta < 0 ? 'down' : 'up');
  const bfText = direction(bf) === 'unchanged' ? 'unchanged' : `${direction(bf)} ${Math.abs(bf).toFixed(1)} points`;
  const rate = trends.velocity.current_rate === null ? '' : ` Average change ${signed(trends.velocity.current_rate, 2)} points a week.`;
  // The one current weight and weekly rate (the trend weight's, as on the goal card) when the daily
  // weigh-ins give one; the check-ins' own weights only without them.
  const trendWeight = currentWeightText(trends.forecast, units);
  const w = toDisplay('weight', last.weight_kg - first.weight_kg, units);
  const wText = direction(w) === 'unchanged' ? 'unchanged' : `${direction(w)} ${Math.abs(w).toFixed(1)} ${unitLabel('weight', units)}`;
  const weight = trendWeight ? `Weight ${trendWeight}` : `Weight ${formatQuantity('weight', last.weight_kg, units)}, ${wText}.`;
  return `Body fat ${formatPercent(last.body_fat_percentage)}, ${bfText} ${span}. ${weight}${rate}${limit}`;
}
