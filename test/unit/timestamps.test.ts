/** parseTimestamp (src/core/schemas.ts): the instant a TimestampInput names, and the offsets it takes. */
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../src/core/schemas.ts';

describe('parseTimestamp', () => {
  it.each([
    ['2025-11-10T04:41:32', '2025-11-10T04:41:32.000Z'],
    ['2025-11-10T04:41:32.706758Z', '2025-11-10T04:41:32.706Z'],
    ['2025-11-10T14:00:00+14:00', '2025-11-10T00:00:00.000Z'],
    ['2025-11-10T00:00:00+1400', '2025-11-09T10:00:00.000Z'],
    ['2025-11-10T00:00:00+14', '2025-11-09T10:00:00.000Z'],
    ['2025-11-10T00:00:00-12:00', '2025-11-10T12:00:00.000Z'],
    ['2025-11-10T00:00:00-12', '2025-11-10T12:00:00.000Z'],
    ['2025-11-10T00:00:00+05:45', '2025-11-09T18:15:00.000Z'],
    ['2025-11-10T00:00:00-00:00', '2025-11-10T00:00:00.000Z'],
  ])('reads %s as %s', (input, utc) => {
    expect(parseTimestamp(input)?.toISOString()).toBe(utc);
  });

  it.each(['+14:01', '+14:30', '+15', '+23:59', '-12:01', '-13', '-1300', '+05:60'])('refuses the offset %s', (offset) => {
    expect(parseTimestamp(`2025-11-10T00:00:00${offset}`)).toBeNull();
  });

  it('refuses what names no real instant', () => {
    for (const input of ['2025-13-01T00:00:00', '2025-02-29T00:00:00', '2025-11-10T24:00:00', 'yesterday'])
      expect(parseTimestamp(input), input).toBeNull();
  });
});
