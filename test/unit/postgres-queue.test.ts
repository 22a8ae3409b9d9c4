/**
 * postgres.js's internal queue as patches/postgres+3.4.9.patch leaves it (docs/PERFORMANCE.md,
 * change 19). Upstream, `shift` only frees its array when the queue empties and `remove` scans it
 * whole, so a pool whose connections all stay busy scanned a growing array on every query. The patch
 * changes cost, not behaviour: here both copies postgres.js loads (ES module and CommonJS) are run
 * against a plain array through random operation sequences, long enough to compact many times.
 * `scripts/load/queue-probe.ts` measures the cost.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

interface Queue<T> {
  readonly length: number;
  push(x: T): T;
  shift(): T | undefined;
  remove(x: T): T | null;
}
type QueueFactory = <T>(initial?: T[]) => Queue<T>;

const root = new URL('../../node_modules/postgres/', import.meta.url);
const esm = ((await import(new URL('src/queue.js', root).href)) as { default: QueueFactory }).default;
const cjs = createRequire(import.meta.url)(new URL('cjs/src/queue.js', root).pathname) as QueueFactory;

type Op = { kind: 'push' } | { kind: 'shift' } | { kind: 'remove'; pick: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'push' as const }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'shift' as const }) },
  { weight: 1, arbitrary: fc.nat(1000).map((pick) => ({ kind: 'remove' as const, pick })) },
);

describe.each([
  ['ES module', esm],
  ['CommonJS', cjs],
])('postgres.js queue (%s)', (_, Queue) => {
  it('behaves as a first-in first-out list with removal, whatever the operations', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 200, maxLength: 3000 }), (ops) => {
        const queue = Queue<object>();
        const model: object[] = [];
        const made: object[] = [];
        for (const o of ops) {
          if (o.kind === 'push') {
            const x = {};
            made.push(x);
            model.push(x);
            expect(queue.push(x)).toBe(x);
          } else if (o.kind === 'shift') {
            expect(queue.shift()).toBe(model.shift());
          } else {
            // Any item made so far: still queued, already shifted or already removed.
            const x = made[o.pick % Math.max(made.length, 1)];
            if (x === undefined) continue;
            const at = model.indexOf(x);
            if (at >= 0) model.splice(at, 1);
            expect(queue.remove(x)).toBe(at >= 0 ? x : null);
          }
          expect(queue.length).toBe(model.length);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a connection out once shifted, as the pool relies on (move after shift)', () => {
    const queue = Queue<string>();
    for (let i = 0; i < 500; i++) queue.push(`c${i}`);
    // The pool's pattern under load: take the next busy connection, then move it back to the end.
    for (let i = 0; i < 10_000; i++) {
      const c = queue.shift()!;
      expect(queue.remove(c)).toBeNull();
      queue.push(c);
    }
    expect(queue.length).toBe(500);
    expect(queue.remove('c250')).toBe('c250');
    expect(queue.length).toBe(499);
  });

  it('starts from an initial list', () => {
    const queue = Queue(['a', 'b']);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.length]).toEqual(['a', 'b', undefined, 0]);
  });
});

it('the installed postgres.js carries the patch (npm ci applies it: package.json postinstall)', () => {
  for (const file of ['src/queue.js', 'cjs/src/queue.js', 'cf/src/queue.js']) {
    expect(readFileSync(new URL(file, root), 'utf8'), file).toContain('xs.indexOf(x, index)');
  }
});
