'use strict';
/**
 * `npm start`: the service as one node process (so SIGTERM reaches it and it stops gracefully),
 * running the compiled JavaScript in dist/, built here first when src/ changed
 * (scripts/build-server.cjs). Without TypeScript (a production-only install) and no matching
 * build, it runs the TypeScript sources through tsx instead.
 *
 * It also sizes libuv's thread pool, which hashes the passwords, to the machine's cores when
 * UV_THREADPOOL_SIZE is unset (Node's default of 4 threads on 2 cores made the hashes queue
 * behind one another: docs/PERFORMANCE.md). libuv reads the variable once, when the pool starts,
 * which is on the first asynchronous file or crypto call; an ES module entry is itself read that
 * way, so this entry is CommonJS and sets the variable before anything asynchronous happens.
 */
const { availableParallelism } = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = String(availableParallelism());

const { ensureServerBuild } = require('./build-server.cjs');

const entry = ensureServerBuild();
if (entry) {
  void import(pathToFileURL(entry).href);
} else {
  // tsx's loader, as `node --import tsx` registers it (its CommonJS build of this API cannot).
  void import('tsx/esm/api').then(({ register }) => {
    register();
    return import(pathToFileURL(path.join(__dirname, '..', 'src', 'server.ts')).href);
  });
}
