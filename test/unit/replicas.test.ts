/** The write positions behind read-your-writes (src/db/replicas.ts): the later position wins. */
import { describe, expect, it } from 'vitest';
import { memoryWritePositions } from '../../src/db/replicas.ts';
import { expectKeepsTheLater } from '../helpers/positions.ts';

describe('write positions in process', () => {
  it('keep the later of two positions, whatever order the writes report them in', async () => {
    await expectKeepsTheLater(memoryWritePositions());
  });

  it('forget a position after its time to live', async () => {
    const positions = memoryWritePositions();
    await positions.remember('u1', 5000n, 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await positions.recall('u1')).toBeNull();
  });
});
