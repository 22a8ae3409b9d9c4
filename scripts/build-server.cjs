'use strict';
/**
 * Compiles the service (src/, and the web app's list of screens it serves) to JavaScript in dist/
 * for `npm start`, with the same layout: dist/src/db/client.js finds the migrations at
 * dist/drizzle and the web build at dist/web/dist, links to the real ones. Running compiled
 * JavaScript spares the service tsx's loader: about 45 MB of memory and part of its start time.
 * Types are checked by `npm run typecheck`, not here (tsc --noCheck: emit only).
 *
 *   node scripts/build-server.cjs              build now                    (npm run build)
 *   node scripts/build-server.cjs --if-stale   build only when the sources changed
 *
 * "Stale" compares a hash of src/, the tsconfig files, this script and TypeScript's version with
 * the one the last build wrote into dist/.build-hash (with that version). The build goes to a temporary folder that
 * then replaces dist/, so a failed build never leaves a half-written one; builds take turns under a
 * lock (dist.lock/), so instances started together from one checkout build once, and none removes
 * the dist/ another one is already running from.
 * CommonJS and synchronous on purpose: scripts/start.cjs calls it before anything may start
 * libuv's thread pool.
 */
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const ENTRY = path.join(DIST, 'src', 'server.js');
/** What the service reads relative to its modules, linked into dist/ at the same depth. */
const LINKS = [['drizzle', '../drizzle'], ['web/dist', '../../web/dist']];
const INPUTS = ['src', 'web/src/paths.ts', 'tsconfig.json', 'tsconfig.build.json'];
const HASH_FILE = path.join(DIST, '.build-hash');
const LOCK = path.join(ROOT, 'dist.lock');
/** How long a start waits for another one's build before giving up. */
const LOCK_WAIT_MS = 5 * 60_000;
const CONFIG = path.join(ROOT, 'tsconfig.build.json');

/** tsc's script, or null when TypeScript is not installed (a production-only install). */
function typescriptCompiler() {
  try {
    const manifest = require.resolve('typescript/package.json', { paths: [ROOT] });
    const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
    return { tsc: path.join(path.dirname(manifest), 'bin', 'tsc'), version };
  } catch {
    return null;
  }
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((item) => {
    const full = path.join(dir, item.name);
    return item.isDirectory() ? sourceFiles(full) : [full];
  });
}

/** A hash of everything that goes into a build. */
function sourceHash(compilerVersion) {
  const hash = createHash('sha256').update(`typescript@${compilerVersion}\0`);
  const inputs = [...INPUTS.flatMap((input) => (statSync(path.join(ROOT, input)).isDirectory() ? sourceFiles(path.join(ROOT, input)) : [path.join(ROOT, input)])).sort(), __filename];
  for (const file of inputs) hash.update(path.relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** The last build's stamp: the hash of its inputs and the TypeScript version that compiled it. */
function lastBuild() {
  try {
    const [hash, compilerVersion] = readFileSync(HASH_FILE, 'utf8').trim().split('\n');
    return existsSync(ENTRY) ? { hash, compilerVersion } : null;
  } catch {
    return null;
  }
}

const isCurrent = (hash) => lastBuild()?.hash === hash;

/** Whether a process with this PID is alive (ours or another user's). */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function build(compiler, hash) {
  // A build killed mid-way (SIGKILL skips the finally below) leaves its folder behind: held by no one.
  for (const name of readdirSync(ROOT)) {
    const pid = /^dist\.building-(\d+)$/.exec(name)?.[1];
    if (pid && !alive(Number(pid))) rmSync(path.join(ROOT, name), { recursive: true, force: true });
  }
  const temporary = path.join(ROOT, `dist.building-${process.pid}`);
  rmSync(temporary, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [compiler.tsc, '-p', CONFIG, '--outDir', temporary], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    for (const [link, target] of LINKS) {
      mkdirSync(path.dirname(path.join(temporary, link)), { recursive: true });
      symlinkSync(target, path.join(temporary, link));
    }
    writeFileSync(path.join(temporary, '.build-hash'), `${hash}\n${compiler.version}\n`);
    rmSync(DIST, { recursive: true, force: true });
    renameSync(temporary, DIST);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

/** Whether the process that took the lock is gone (a start killed mid-build leaves its lock behind). */
function lockAbandoned() {
  let pid = NaN;
  try { pid = Number(readFileSync(path.join(LOCK, 'pid'), 'utf8')); } catch { /* no pid file yet */ }
  if (Number.isInteger(pid)) return !alive(pid);
  // No pid yet: the holder is between mkdir and writing it, unless that was long ago.
  try { return Date.now() - statSync(LOCK).mtimeMs > 30_000; } catch { return false; }
}

/** Runs `fn` holding dist.lock/ (mkdir is atomic), waiting for another holder up to LOCK_WAIT_MS. */
function withBuildLock(fn) {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (lockAbandoned()) { rmSync(LOCK, { recursive: true, force: true }); continue; }
      if (Date.now() > deadline) throw new Error(`another build has held ${LOCK} for over ${LOCK_WAIT_MS / 1000} s`, { cause: error });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100); // a synchronous 100 ms sleep
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Builds dist/ when it is missing or stale (always with `force`). Returns dist/src/server.js, or null
 * when TypeScript is not installed and no build matches the sources. (A build made before the
 * development dependencies were pruned still counts when the sources are the ones it was built from.)
 */
function ensureServerBuild({ force = false, quiet = false } = {}) {
  const compiler = typescriptCompiler();
  if (!compiler) {
    const built = lastBuild();
    return built && built.hash === sourceHash(built.compilerVersion) ? ENTRY : null;
  }
  const hash = sourceHash(compiler.version);
  if (!force && isCurrent(hash)) return ENTRY;
  withBuildLock(() => {
    // A start that held the lock before us may have built these very sources.
    if (!force && isCurrent(hash)) return;
    const started = Date.now();
    build(compiler, hash);
    if (!quiet) console.error(`built the service into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  return ENTRY;
}

module.exports = { ensureServerBuild, DIST, ENTRY };

if (require.main === module) {
  const entry = ensureServerBuild({ force: !process.argv.includes('--if-stale') });
  if (!entry) {
    console.error('TypeScript is not installed (npm ci without --omit=dev): cannot build dist/');
    process.exit(1);
  }
}
