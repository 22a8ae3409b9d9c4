/**
 * The dashboard's and History's logic without a browser: the on-track state of a new goal, the
 * forecast in one wording and the current weight, a reached goal acknowledged, the latest check-in's warnings,
 * every check-in and goal read page by page, and the projection in the chart's text alternative.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Goal, ProgressEntry, Trends } from '../src/api/types.ts';
import { chartEnd, chartSeries, chartSummary, dateAxis, projectionNote } from '../src/components/chartSeries.ts';
import { formatDate } from '../src/format.ts';
import { ACKNOWLEDGE_DAYS, currentWeightText, forecastText, goalReached, latestWarnings, trackState } from '../src/goalOutlook.ts';
import { TWO_CHECK_INS } from './fixtures.ts';

const api = vi.hoisted(() => vi.fn());
vi.mock('../src/api/client.ts', () => ({ api, apiFile: vi.fn(), ApiError: class extends Error {} }));
const { allGoals, latestGoal, listProgress } = await import('../src/api/queries.ts');

const trends = TWO_CHECK_INS;
/** What GET /trends says of a goal started today: no check-in, no rate, so is_on_track false. */
const brandNew: Trends = {
  ...trends,
  progress_percentage: 0,
  weeks_elapsed: 0,
  is_on_track: false,
  weekly_bf_change_avg: 0,
  weekly_weight_change_avg: 0,
  trend: 'insufficient_data',
  estimated_weeks_remaining: 30,
  current_body_fat: 19.8,
  data_points: trends.data_points.slice(0, 1),
  trend_line: null,
  velocity: { current_rate: null, expected_rate: -0.17, is_on_pace: false },
};
/** Body fat rising on a cut: the API has no estimate (estimated_weeks_remaining null) and no crossing. */
const rising: Trends = {
  ...trends,
  is_on_track: false,
  trend: 'worsening',
  estimated_weeks_remaining: null,
  trend_line: { slope: 0.4, intercept: 19.8, projected_completion_week: null },
  velocity: { current_rate: 0.4, expected_rate: -0.17, is_on_pace: false },
  forecast: {
    ...trends.forecast,
    observed: { weeks: null, weeks_low: null, weeks_high: null, date: null, rate_per_week: 0.4 },
    agrees: false,
  },
};

describe('the goal card', () => {
  it('does not call a goal started today "Not on track": it is too early to tell', () => {
    expect(trackState(brandNew)).toBe('too_early');
    // One check-in: the API's verdict on the rate so far, as the check-in's result showed it.
    const firstCheckIn = {
      ...brandNew,
      data_points: trends.data_points.slice(0, 2),
      velocity: { ...brandNew.velocity, current_rate: -0.9 },
    };
    expect(trackState({ ...firstCheckIn, is_on_track: true })).toBe('on_track');
    expect(trackState({ ...firstCheckIn, is_on_track: false })).toBe('off_track');
    expect(trackState(trends)).toBe('on_track');
    expect(trackState(rising)).toBe('off_track');
    expect(trackState({ ...trends, trend: 'plateau', is_on_track: false })).toBe('off_track');
  });

  it('tells the plan and the current rate in one wording, with their 80 % ranges', () => {
    expect(forecastText(trends.forecast, 12)).toBe(
      '12.0 % in about 9 weeks (8–10) on your plan. At your current rate: about 7 weeks (6–9).',
    );
    // An open slow end, and an observed rate that heads away: not reached at the current rate.
    const open = { ...trends.forecast, observed: { ...trends.forecast.observed!, weeks_high: null } };
    expect(forecastText(open, 12)).toMatch(/At your current rate: about 7 weeks \(6 or longer\)\.$/);
    const away = { ...trends.forecast, observed: { ...trends.forecast.observed!, weeks: null, weeks_low: null, weeks_high: null } };
    expect(forecastText(away, 12)).toMatch(/At your current rate: not reached\.$/);
    // Too little data for a rate of one's own: the plan alone (the API's explanation says why).
    expect(forecastText({ ...trends.forecast, observed: null }, 12)).toBe('12.0 % in about 9 weeks (8–10) on your plan.');
    expect(forecastText({ ...trends.forecast, plan: { weeks: null, weeks_low: null, weeks_high: null, date: null } }, 12)).toMatch(
      /^Your plan does not reach your goal at this rate/,
    );
    expect(forecastText({ ...trends.forecast, plan: { weeks: 0, weeks_low: 0, weeks_high: 0, date: '2026-01-15' } }, 12)).toMatch(
      /^12\.0 % now on your plan\./,
    );
  });

  it('shows the trend weight as the current weight, with the scale and the one weekly rate', () => {
    expect(currentWeightText(trends.forecast, 'metric')).toBe('83.6 kg trend weight, down 0.80 kg a week.');
    expect(currentWeightText({ ...trends.forecast, scale_weight_kg: 83.2, weekly_weight_rate_kg: 0 }, 'metric')).toBe(
      '83.6 kg trend weight (83.2 kg on the scale today), steady.',
    );
    expect(currentWeightText({ ...trends.forecast, trend_weight_kg: null }, 'metric')).toBeNull();
  });

  it('shows the warnings of the latest check-in', () => {
    const entry = (i: number, warning: string | null): ProgressEntry => ({
      id: `e${i}`,
      goal_id: 'g',
      measurement_id: `m${i}`,
      week_number: i,
      body_fat_percentage: 15,
      weight_kg: 80,
      body_fat_change: 0,
      weight_change_kg: 0,
      is_on_track: true,
      notes: null,
      measured_at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      ceiling_warning: warning,
      rate_warning: null,
      logged_at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      created_at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
    });
    const entries = Array.from({ length: 150 }, (_, i) => entry(i, i === 149 ? 'Close to your ceiling' : null));
    expect(latestWarnings(entries)).toEqual(['Close to your ceiling']);
    expect(latestWarnings([...entries].reverse())).toEqual(['Close to your ceiling']);
    expect(latestWarnings([])).toEqual([]);
  });
});

describe('a goal reached', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const goal = (changes: Partial<Goal>): Goal => ({
    id: 'g',
    user_id: 'u',
    initial_measurement_id: 'm',
    goal_type: 'cutting',
    status: 'completed',
    initial_body_fat_percentage: 19.8,
    initial_weight_kg: 85,
    target_body_fat_percentage: 12,
    ceiling_body_fat_percentage: null,
    target_calories: 2200,
    estimated_weeks_to_goal: 30,
    weekly_rate_percent: 0.5,
    expenditure_kcal: null,
    expenditure_method: null,
    projection: null,
    current_body_fat_percentage: 11.9,
    progress_percentage: 100,
    weeks_elapsed: 30,
    is_on_track: true,
    started_at: '2025-08-01T07:00:00Z',
    completed_at: '2026-03-03T07:00:00Z',
    created_at: '2025-08-01T07:00:00Z',
    updated_at: '2026-03-03T07:00:00Z',
    ...changes,
  });

  it('acknowledges a cut that reached its target, with when and what next', () => {
    const reached = goalReached(goal({}), now);
    expect(reached?.heading).toBe('Cutting goal reached');
    expect(reached?.achievement).toBe(
      `You got down to 11.9 % body fat on ${formatDate('2026-03-03T07:00:00Z')}, reaching your target of 12.0 %, from 19.8 % at the start. Well done.`,
    );
    expect(reached?.nextSteps).toMatch(/maintenance.*start a new goal/);
  });

  it('shows a bulk that reached its ceiling as complete, with maintenance or a cut next', () => {
    const reached = goalReached(
      goal({
        goal_type: 'bulking',
        target_body_fat_percentage: null,
        ceiling_body_fat_percentage: 18,
        initial_body_fat_percentage: 14,
        current_body_fat_percentage: 18.1,
      }),
      now,
    );
    expect(reached?.heading).toBe('Bulk complete');
    expect(reached?.achievement).toMatch(
      /^You reached 18\.1 % body fat on .*, your ceiling of 18\.0 %, from 14\.0 % at the start\. The bulk is done\.$/,
    );
    expect(reached?.nextSteps).toMatch(/maintenance calories.*cutting goal/);
  });

  it('says nothing of goals abandoned, still running, or reached long ago', () => {
    expect(goalReached(null, now)).toBeNull();
    expect(goalReached(goal({ status: 'abandoned', completed_at: null }), now)).toBeNull();
    expect(goalReached(goal({ status: 'active', completed_at: null }), now)).toBeNull();
    const longAgo = new Date(now.getTime() - (ACKNOWLEDGE_DAYS + 1) * 24 * 3600 * 1000).toISOString();
    expect(goalReached(goal({ completed_at: longAgo }), now)).toBeNull();
  });
});

describe('reading every page', () => {
  /** The API's progress list: oldest first, a bare array, at most `limit` (≤ 100) from `offset`. */
  const serve = (count: number) => {
    const entries = Array.from({ length: count }, (_, i) => ({ id: `e${i}`, week_number: i }));
    api.mockImplementation(async (_method: string, path: string) => {
      const query = new URL(path, 'http://x').searchParams;
      const limit = Math.min(100, Number(query.get('limit') ?? 20));
      const offset = Number(query.get('offset') ?? 0);
      const page = entries.slice(offset, offset + limit);
      return path.startsWith('/goals?') ? { goals: page, total: count } : page;
    });
  };
  beforeEach(() => {
    api.mockReset();
  });

  it('lists every check-in of a goal, not only the first 100', async () => {
    serve(250);
    const entries = await listProgress('g');
    expect(entries).toHaveLength(250);
    expect(entries.at(-1)).toMatchObject({ id: 'e249' });
    expect(api.mock.calls.map((c) => c[1])).toEqual([
      '/goals/g/progress?limit=100&offset=0',
      '/goals/g/progress?limit=100&offset=100',
      '/goals/g/progress?limit=100&offset=200',
    ]);
  });

  it('stops at the first short page, an empty one after exactly 200', async () => {
    serve(200);
    expect(await listProgress('g')).toHaveLength(200);
    expect(api).toHaveBeenCalledTimes(3);
    api.mockClear();
    serve(3);
    expect(await listProgress('g')).toHaveLength(3);
    expect(api).toHaveBeenCalledTimes(1);
  });

  it('lists every goal for History, and reads the newest one alone for the dashboard', async () => {
    serve(130);
    expect(await allGoals()).toHaveLength(130);
    api.mockClear();
    expect(await latestGoal()).toMatchObject({ id: 'e0' });
    expect(api).toHaveBeenCalledWith('GET', '/goals?limit=1');
  });
});

describe('the projection in the chart’s text alternative', () => {
  const sentence = (t: Trends, type: 'cutting' | 'bulking' = 'cutting') =>
    [chartSummary(t, type, 'metric'), projectionNote(t, type)].filter(Boolean).join(' ');

  it('draws the observed forecast from the latest reading to its date, and leaves the weeks to the forecast sentence', () => {
    // The forecast's observed date, 2026-03-05, is 8.96 weeks after the first point (7:00 on 1 January).
    expect(chartSeries(trends, 'metric').projection).toEqual([
      { x: 2, y: 18.1 },
      { x: 8.96, y: 12 },
    ]);
    expect(sentence(trends)).toMatch(/Your target is 12\.0 %\.$/);
    expect(sentence(trends)).not.toMatch(/reach it|at the current rate/i);
  });

  it('says why no projection is drawn when the trend heads away from the goal', () => {
    expect(chartSeries(rising, 'metric').projection).toEqual([]);
    expect(sentence(rising)).toMatch(/Your target is 12\.0 %\. The trend heads away from it, so no projection is drawn\.$/);
  });

  it('draws a projection months away up to the chart’s edge rather than dropping it', () => {
    const slow: Trends = {
      ...trends,
      trend: 'plateau',
      trend_line: { slope: -0.04, intercept: 19.8, projected_completion_week: 195 },
      forecast: {
        ...trends.forecast,
        observed: { weeks: 193, weeks_low: 150, weeks_high: null, date: '2029-09-27', rate_per_week: -0.04 },
      },
    };
    const s = chartSeries(slow, 'metric');
    expect(s.projection.at(-1)).toEqual({ x: 194.96, y: 12 });
    // Two weeks of data: the chart runs eight weeks past the last point, not to week 195.
    expect(s.xMax).toBe(10);
    expect(sentence(slow)).toMatch(/Your target is 12\.0 %\.$/);
  });

  it('says a trend already past the ceiling needs one more check-in, and nothing with a single point', () => {
    const past: Trends = {
      ...trends,
      target_body_fat: 18,
      trend_line: { slope: 0.6, intercept: 15, projected_completion_week: 1.5 },
      forecast: { ...trends.forecast, observed: { weeks: 0, weeks_low: 0, weeks_high: 0, date: '2026-01-15', rate_per_week: 0.6 } },
    };
    expect(projectionNote(past, 'bulking')).toBe('Your trend is already there: a check-in at or above it completes the goal.');
    expect(projectionNote(brandNew, 'cutting')).toBe('');
  });
});

describe('the chart’s dates', () => {
  it('shows the data and the next part of the forecast: 8 weeks, or half the span measured when longer', () => {
    expect(chartEnd(2, 39)).toBe(10);
    expect(chartEnd(30, 80)).toBe(45);
    // A forecast that ends sooner ends the chart; the data are always all shown.
    expect(chartEnd(6, 9)).toBe(9);
    expect(chartEnd(6, 0)).toBe(6);
    expect(chartEnd(0, 0)).toBe(1);
  });

  it('labels x with short dates on whole steps from the first point, about five of them', () => {
    const weekly = dateAxis('2026-10-05T07:00:00Z', 'week', 14);
    expect(weekly.ticks.stepSize).toBe(3);
    expect(weekly.ticks.callback(0)).toMatch(/^(5 Oct|Oct 5)$/);
    expect(weekly.ticks.callback(3)).toMatch(/^(26 Oct|Oct 26)$/);
    const daily = dateAxis('2026-10-05', 'day', 50);
    // Over a fortnight the steps are whole weeks, so every label is the same weekday.
    expect(daily.ticks.stepSize).toBe(14);
    expect(daily.ticks.callback(14)).toMatch(/^(19 Oct|Oct 19)$/);
    expect(dateAxis('2026-10-05', 'day', 6).ticks.stepSize).toBe(2);
  });
});
