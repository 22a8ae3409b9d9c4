/**
 * The web app at `/` (docs/DESIGN.md, 'Addresses'): the files Vite built into web/dist, read once at start and kept
 * in memory with gzip and brotli variants (the whole app is a few hundred kB). Hashed files under
 * assets/ are immutable; index.html and the other files are revalidated (ETag) on every use, so a
 * new build is picked up at once; so are the service worker (sw.js) and its manifest.webmanifest, which
 * the browser must see change to find a new build (docs/DESIGN.md, 'The installable app'). Each screen of the app (web/src/paths.ts) answers with
 * index.html, so reloading /history or opening a shared link works; every other path — /api/*,
 * /health*, /docs*, /openapi.json, anything unknown — keeps its problem-details 404.
 *
 * `GET /` negotiates: a client that accepts JSON and not HTML (an API client, a probe) gets the
 * API's short description, as before the app existed. Without a build the service still starts,
 * says so in the log, and serves the API alone.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { APP_PATHS } from '../../web/src/paths.ts';
import { API_VERSION } from './openapi.ts';

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface WebAppOptions {
  /** The built app's folder; web/dist by default. */
  root?: string;
}

interface StaticFile {
  body: Buffer;
  gzip: Buffer | null;
  br: Buffer | null;
  type: string;
  etag: string;
  cacheControl: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt']);

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';
/** Vite names every bundled file `name-<hash>.ext` under assets/: its content never changes. */
const HASHED = /^assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      if (entry.name.startsWith('.')) return []; // a dotfile is never part of the app
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return listFiles(path.join(dir, entry.name), relative);
      return entry.isFile() ? [relative] : [];
    }),
  );
  return nested.flat();
}

async function loadFile(root: string, relative: string): Promise<StaticFile> {
  const body = await readFile(path.join(root, relative));
  const ext = path.extname(relative).toLowerCase();
  const compress = COMPRESSIBLE.has(ext) && body.length > 1024;
  const [gz, br] = compress
    ? await Promise.all([
        gzipAsync(body, { level: 9 }),
        brotliAsync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }),
      ])
    : [null, null];
  return {
    body,
    gzip: gz,
    br,
    type: TYPES[ext] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    cacheControl: HASHED.test(relative) ? IMMUTABLE : REVALIDATE,
  };
}

/** The built app, or null when there is no build (no index.html). */
async function loadWebApp(root: string): Promise<Map<string, StaticFile> | null> {
  let names: string[];
  try {
    names = await listFiles(root);
  } catch {
    return null;
  }
  if (!names.includes('index.html')) return null;
  const files = await Promise.all(names.map(async (name) => [name, await loadFile(root, name)] as const));
  return new Map(files);
}

function ifNoneMatch(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  return typeof header === 'string' && header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** Adds to Vary rather than replacing it (CORS has put `Origin` there). */
function vary(reply: FastifyReply, field: string) {
  const current = reply.getHeader('vary');
  const list =
    current === undefined
      ? []
      : String(current)
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean);
  if (!list.some((f) => f.toLowerCase() === field)) reply.header('vary', [...list, field].join(', '));
}

function sendFile(request: FastifyRequest, reply: FastifyReply, file: StaticFile) {
  reply.header('cache-control', file.cacheControl).header('etag', file.etag);
  vary(reply, 'accept-encoding');
  if (ifNoneMatch(request, file.etag)) return reply.code(304).send();
  reply.type(file.type);
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (file.br && /\bbr\b/.test(accepted)) return reply.header('content-encoding', 'br').send(file.br);
  if (file.gzip && /\bgzip\b/.test(accepted)) return reply.header('content-encoding', 'gzip').send(file.gzip);
  return reply.send(file.body);
}

/** JSON for an API client at `/`; a browser (which accepts text/html) gets the app. */
const wantsJson = (request: FastifyRequest) => {
  const accept = String(request.headers.accept ?? '');
  return accept.includes('application/json') && !accept.includes('text/html');
};

export const webApp: FastifyPluginAsync<WebAppOptions> = async (app, options) => {
  const root = options.root ?? DEFAULT_WEB_ROOT;
  const files = await loadWebApp(root);
  const apiInfo = { message: 'Recomp API', version: API_VERSION, docs: '/docs' };
  const hidden = { schema: { hide: true } };

  if (!files) {
    app.log.warn({ root }, 'the web app is not built (run `npm run build:web`): serving the API only');
    app.get('/', hidden, async () => apiInfo);
    return;
  }

  const index = files.get('index.html') as StaticFile;
  const sendIndex = async (request: FastifyRequest, reply: FastifyReply) => sendFile(request, reply, index);

  app.get('/', hidden, async (request, reply) => {
    vary(reply, 'accept');
    if (wantsJson(request)) return reply.header('cache-control', REVALIDATE).send(apiInfo);
    return sendIndex(request, reply);
  });
  for (const screen of APP_PATHS) if (screen !== '/') app.get(screen, hidden, sendIndex);
  // Every file at its own name, index.html too: the service worker precaches it as /index.html (web/src/sw.ts).
  for (const [name, file] of files) app.get(`/${name}`, hidden, async (request, reply) => sendFile(request, reply, file));
  app.log.debug({ root, files: files.size }, 'serving the web app');
};
