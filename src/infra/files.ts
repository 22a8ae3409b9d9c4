/** Files a stopped process left behind: the ones in a folder that nothing has written to for a while. */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Removes the files of `dir` whose names `matches` takes and that were last written before `before`
 * (ms since the epoch), and answers their paths. A file another process removed meanwhile is passed over.
 */
export async function removeFilesUnchangedSince(dir: string, matches: (name: string) => boolean, before: number): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    if (!matches(name)) continue;
    const file = path.join(dir, name);
    const changed = await stat(file).then(
      (info) => info.mtimeMs,
      () => null,
    );
    if (changed === null || changed >= before) continue;
    await rm(file, { force: true });
    removed.push(file);
  }
  return removed;
}
