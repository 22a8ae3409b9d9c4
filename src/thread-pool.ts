/**
 * Sizes libuv's thread pool, which hashes the passwords, to the machine's cores when
 * UV_THREADPOOL_SIZE is unset (Node's default of 4 threads on 2 cores made the hashes queue behind
 * one another: docs/PERFORMANCE.md). libuv reads the variable once, when the pool starts on the
 * first asynchronous file, DNS or crypto call, so this is the entry's first import: ES modules
 * run in import order, and loading them (Node 22 and later) does not start the pool.
 * test/faults/start-entry.test.ts counts the pool's threads of the built service.
 */
import { availableParallelism } from 'node:os';

if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = String(availableParallelism());
