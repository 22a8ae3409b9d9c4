/**
 * Builds the web app into web/dist with Vite.
 *
 *   tsx web/build.ts                  build now; fail on an error       (npm run build:web)
 *   tsx web/build.ts --if-stale --soft build only when the sources changed; on an error warn and
 *                                     exit 0, so the service still starts with the API alone
 *                                     (npm's prestart)
 *
 * "Stale" compares a hash of the app's sources and of the versions of its build tools with the one
 * the last build wrote into dist/.build-hash: a fresh clone builds once (a few seconds), later
 * starts skip it.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = path.join(WEB_ROOT, 'dist');
const HASH_FILE = path.join(WEB_DIST, '.build-hash');
const INPUTS = ['index.html', 'vite.config.ts', 'tsconfig.json', 'src', 'public'];
const TOOLS = ['vite', 'preact', 'chart.js'];

async function files(entry: string): Promise<string[]> {
  const full = path.join(WEB_ROOT, entry);
  try {
    const items = await readdir(full, { withFileTypes: true });
    const nested = await Promise.all(items.map(async (item) => (item.isDirectory() ? files(path.join(entry, item.name)) : [path.join(entry, item.name)])));
    return nested.flat();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return [entry];
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function toolVersion(name: string): Promise<string> {
  try {
    const manifest = path.join(WEB_ROOT, '..', 'node_modules', name, 'package.json');
    return (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version;
  } catch {
    return 'missing';
  }
}

/** A hash of everything that goes into a build. */
export async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const names = (await Promise.all(INPUTS.map(files))).flat().sort();
  for (const name of names) hash.update(name).update('\0').update(await readFile(path.join(WEB_ROOT, name))).update('\0');
  for (const tool of TOOLS) hash.update(`${tool}@${await toolVersion(tool)}\0`);
  return hash.digest('hex');
}

export async function isBuildCurrent(): Promise<boolean> {
  try {
    const [built, current] = await Promise.all([readFile(HASH_FILE, 'utf8'), sourceHash()]);
    await readFile(path.join(WEB_DIST, 'index.html'));
    return built.trim() === current;
  } catch {
    return false;
  }
}

export async function buildWebApp(options: { quiet?: boolean } = {}): Promise<void> {
  const hash = await sourceHash();
  // Imported here: Vite is a development dependency, absent from a production-only install.
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB_ROOT, 'vite.config.ts'), logLevel: options.quiet ? 'warn' : 'info' });
  await writeFile(HASH_FILE, `${hash}\n`);
}

/** Builds when the sources changed since the last build; returns whether it built. */
export async function ensureWebBuild(options: { quiet?: boolean } = {}): Promise<boolean> {
  if (await isBuildCurrent()) return false;
  await buildWebApp(options);
  return true;
}

async function main(args: string[]) {
  const soft = args.includes('--soft');
  try {
    if (args.includes('--if-stale')) {
      const built = await ensureWebBuild({ quiet: true });
      console.log(built ? 'web app built into web/dist' : 'web app is up to date (web/dist)');
    } else {
      await buildWebApp();
    }
  } catch (error) {
    if (!soft) throw error;
    console.warn(`warning: the web app could not be built (${(error as Error).message}); the service will serve the API only`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
