/** The write positions behind read-your-writes (src/db/replicas.ts): the later position wins, and where the WAL ends. */
import { describe, expect, it, vi } from 'vitest';
import { insertedUpTo, memoryWritePositions } from '../../src/db/replicas.ts';
import { expectKeepsTheLater } from '../helpers/positions.ts';

describe('write positions in process', () => {
  it('keep the later of two positions, whatever order the writes report them in', async () => {
    await expectKeepsTheLater(memoryWritePositions());
  });

  it('forget a position after its time to live', async () => {
    const positions = memoryWritePositions();
    await positions.remember('u1', 5000n, 1);
    await positions.remember('u2', 6000n, 600_000);
    // The real millisecond, waited for: under a fake clock lru-cache reads a start time of 0 (the
    // fake performance.now's first value) as "no time to live".
    await vi.waitFor(async () => expect(await positions.recall('u1')).toBeNull(), { timeout: 1000, interval: 5 });
    expect(await positions.recall('u2')).toBe(6000n);
  });
});

describe('the end of the inserted WAL', () => {
  const page = 8192n;
  const segment = 16n * 1024n * 1024n;

  it('is the page boundary when the insert position is just past a page header', () => {
    // The CI run of 27 November 2026: a commit record at 0/03CC1FD8 (34 bytes) ended at 0/03CC2000;
    // pg_current_wal_insert_lsn() said 0/03CC2018 and the caught-up replica 0/03CC2000.
    expect(insertedUpTo(0x03cc2018n, page, segment)).toBe(0x03cc2000n);
    // A segment's first page has the long header.
    expect(insertedUpTo(0x04000028n, page, segment)).toBe(0x04000000n);
  });

  it('is the insert position anywhere else', () => {
    // A record can end 40 bytes into an ordinary page (16 bytes after its header), and 24 into none.
    for (const lsn of [0x03cc1fd8n, 0x03cc2000n, 0x03cc2028n, 0x03cc2020n, 0x04000030n, 0x04000000n, 0n]) {
      expect(insertedUpTo(lsn, page, segment)).toBe(lsn);
    }
  });
});
