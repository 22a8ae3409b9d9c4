/** Builds the web app once for the browser tests, unless web/dist already holds a build of these sources. */
import { ensureWebBuild } from '../../web/build.ts';

export default async function setup() {
  const built = await ensureWebBuild({ quiet: true });
  if (built) console.log('[e2e] built the web app into web/dist');
}
