/** Builds the web app into web/dist once per run for the browser tests, so they test web/src as it is now. */
import path from 'node:path';
import { build } from 'vite';

export default async function setup() {
  await build({ configFile: path.resolve(import.meta.dirname, '../../web/vite.config.ts'), logLevel: 'warn' });
}
