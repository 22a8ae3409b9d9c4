/**
 * The fault tests run the service as `npm start` does, from its build in dist/: built here once
 * per run (`npm run build:server`), so they test the sources as they are now.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup() {
  execFileSync('npm', ['run', '--silent', 'build:server'], { cwd: path.resolve(import.meta.dirname, '../..'), stdio: 'inherit' });
}
