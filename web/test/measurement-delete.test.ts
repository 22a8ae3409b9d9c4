/** Which History rows may be deleted, and Log progress deleting the measurement a refused check-in left behind. */
import { describe, expect, it } from 'vitest';
import type { Goal, Measurement, ProgressEntry } from '../src/api/types.ts';
import { measurementForAttempt } from '../src/checkInMeasurement.ts';
import { historyRows, isDeletable } from '../src/history.ts';

const measurement = (id: string) => ({ id, measured_at: '2026-01-01T07:00:00Z' }) as Measurement;
const goal = (id: string, initial: string) => ({ id, initial_measurement_id: initial, goal_type: 'cutting' }) as Goal;
const checkIn = (goalId: string, measurementId: string, week: number) =>
  ({ id: `p-${measurementId}`, goal_id: goalId, measurement_id: measurementId, week_number: week }) as ProgressEntry;

describe('History rows', () => {
  const old = goal('g1', 'm1');
  const current = goal('g2', 'm4');
  const rows = historyRows(['m6', 'm5', 'm4', 'm3', 'm2', 'm1'].map(measurement), [
    { goal: current, progress: [checkIn('g2', 'm5', 1)] },
    { goal: old, progress: [checkIn('g1', 'm2', 1)] },
  ]);

  it('labels goal starts and check-ins, of every goal', () => {
    expect(rows.map((r) => [r.measurement.id, r.startOf?.id ?? null, r.entry?.goal.id ?? null])).toEqual([
      ['m6', null, null],
      ['m5', null, 'g2'],
      ['m4', 'g2', null],
      ['m3', null, null],
      ['m2', null, 'g1'],
      ['m1', 'g1', null],
    ]);
  });

  it('offers Delete only for measurements no goal or check-in refers to', () => {
    expect(rows.filter(isDeletable).map((r) => r.measurement.id)).toEqual(['m6', 'm3']);
  });

  it('keeps every measurement deletable when there are no goals', () => {
    expect(historyRows([measurement('a'), measurement('b')], []).every(isDeletable)).toBe(true);
  });
});

describe('the measurement of a Log progress attempt', () => {
  function fakeApi(options: { removeFails?: boolean } = {}) {
    const calls: string[] = [];
    let next = 0;
    return {
      calls,
      create: () => {
        calls.push('create');
        return Promise.resolve(`m${++next}`);
      },
      remove: (id: string) => {
        calls.push(`delete ${id}`);
        return options.removeFails ? Promise.reject(new Error('409')) : Promise.resolve();
      },
    };
  }

  it('saves a new one on the first attempt', async () => {
    const api = fakeApi();
    expect(await measurementForAttempt(null, 'a', api.create, api.remove)).toEqual({ key: 'a', id: 'm1' });
    expect(api.calls).toEqual(['create']);
  });

  it('reuses the earlier one when nothing was changed', async () => {
    const api = fakeApi();
    const pending = { key: 'a', id: 'm0' };
    expect(await measurementForAttempt(pending, 'a', api.create, api.remove)).toBe(pending);
    expect(api.calls).toEqual([]);
  });

  it('deletes the earlier one before saving the changed one', async () => {
    const api = fakeApi();
    expect(await measurementForAttempt({ key: 'a', id: 'm0' }, 'b', api.create, api.remove)).toEqual({ key: 'b', id: 'm1' });
    expect(api.calls).toEqual(['delete m0', 'create']);
  });

  it('carries on when that delete fails', async () => {
    const api = fakeApi({ removeFails: true });
    expect(await measurementForAttempt({ key: 'a', id: 'm0' }, 'b', api.create, api.remove)).toEqual({ key: 'b', id: 'm1' });
    expect(api.calls).toEqual(['delete m0', 'create']);
  });
});
