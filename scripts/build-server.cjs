'use strict';
/**
 * `npm run build:server`, part of `npm run build` (which `npm ci` runs: package.json "prepare"):
 * compiles the service (src/, and the web app's list of screens it serves) to JavaScript in dist/
 * for `npm start` and `npm run db:migrate`, with the same layout: dist/src/db/client.js finds the
 * migrations at dist/drizzle and the web build at dist/web/dist, links to the real ones. Running
 * compiled JavaScript spares the service tsx's loader: about 45 MB of memory and part of its start
 * time (docs/PERFORMANCE.md). Types are checked by `npm run typecheck`, not here (tsc --noCheck:
 * emit only). dist/ is made anew each time, so it holds what these sources compile to and nothing
 * older.
 */
const { execFileSync } = require('node:child_process');
const { chmodSync, mkdirSync, rmSync, symlinkSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
/** What the service reads relative to its modules, linked into dist/ at the same depth. */
const LINKS = [
  ['drizzle', '../drizzle'],
  ['web/dist', '../../web/dist'],
];

rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], {
  cwd: ROOT,
  stdio: 'inherit',
});
for (const [link, target] of LINKS) {
  mkdirSync(path.dirname(path.join(DIST, link)), { recursive: true });
  symlinkSync(target, path.join(DIST, link));
}
// The `recomp` command (package.json "bin"): run directly, so it must be executable.
chmodSync(path.join(DIST, 'src/cli/main.js'), 0o755);
