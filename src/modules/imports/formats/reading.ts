/**
 * What every reader keeps while it reads: the rows it refused (the first 100 of them, and how many
 * in all) and how far through the file it is, told to `onProgress` now and then and checked against
 * the abort signal between chunks.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { LISTED_REJECTIONS, type ReadOptions, type RejectedRow } from './types.ts';

/** A place in the file: `where` for the report, `at` its order in the file (a row's or record's number across the files read). */
export interface Place {
  where: string;
  at: number;
}

/**
 * The rows refused: the first 100 in file order (a day refused once the whole file is read, for its
 * range, takes the place of its first row) and how many in all.
 */
export class Rejections {
  private readonly first: (RejectedRow & { at: number })[] = [];
  count = 0;

  add(place: Place, reason: string): void {
    this.count++;
    if (this.first.length < LISTED_REJECTIONS) {
      this.first.push({ where: place.where, reason, at: place.at });
      return;
    }
    let last = 0;
    for (let i = 1; i < this.first.length; i++) if (this.first[i]!.at > this.first[last]!.at) last = i;
    if (place.at < this.first[last]!.at) this.first[last] = { where: place.where, reason, at: place.at };
  }

  get kept(): RejectedRow[] {
    return [...this.first].sort((a, b) => a.at - b.at).map(({ where, reason }) => ({ where, reason }));
  }
}

/** Progress is told when it has moved by a percent at least. */
const PROGRESS_STEP = 0.01;

/**
 * Counts the bytes a reader has taken of `totalBytes` (a file's size, or the uncompressed sizes of
 * the archive entries it reads) and checks the abort signal.
 */
export class ReadingMeter {
  private read = 0;
  private told = 0;

  constructor(
    private readonly totalBytes: number,
    private readonly options: ReadOptions,
  ) {}

  /** Passes a stream's chunks through, counting them; fails the stream with the signal's reason once aborted. */
  tap(input: Readable): Readable {
    const meter = new Transform({
      transform: (chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) => {
        if (this.options.signal.aborted) {
          done(this.options.signal.reason as Error);
          return;
        }
        this.advance(chunk.length);
        done(null, chunk);
      },
    });
    input.on('error', (error) => meter.destroy(error));
    meter.on('close', () => input.destroy());
    return input.pipe(meter);
  }

  advance(bytes: number): void {
    this.read += bytes;
    const fraction = this.totalBytes > 0 ? Math.min(1, this.read / this.totalBytes) : 1;
    if (fraction - this.told >= PROGRESS_STEP) {
      this.told = fraction;
      this.options.onProgress(fraction);
    }
  }

  done(): void {
    if (this.told < 1) this.options.onProgress(1);
    this.told = 1;
  }
}
