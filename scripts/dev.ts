/**
 * `npm run dev`: development from the sources, nothing to build first.
 *   - the service from src/ through tsx, restarted when a file it imports changes (`tsx watch`), on
 *     PORT (8000 by default) with the embedded database unless DATABASE_URL is set, as `npm start`;
 *   - Vite's dev server for the web app on http://localhost:5173/, reloading as web/src changes,
 *     with /api and /health passed on to that service (web/vite.config.ts).
 * Ctrl-C stops both; so does the service's watcher ending.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// Read by web/vite.config.ts when createServer loads it: the proxy follows the service's port.
process.env.RECOMP_API_URL ??= `http://127.0.0.1:${process.env.PORT || 8000}`;

const service = spawn(process.execPath, [fileURLToPath(import.meta.resolve('tsx/cli')), 'watch', '--clear-screen=false', 'src/server.ts'], {
  cwd: ROOT,
  stdio: 'inherit',
});
const serviceExited = new Promise<number>((resolve) => service.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

// Ctrl-C reaches the whole foreground group: the watcher and the service stop by themselves and this
// process waits for them. A SIGTERM sent to this process alone is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => service.kill('SIGTERM'));

const web = await createServer({ configFile: path.join(ROOT, 'web/vite.config.ts') });
await web.listen();
web.printUrls();

const code = await serviceExited;
await web.close();
process.exit(code);
