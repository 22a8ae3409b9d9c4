/**
 * Text the service takes in is text it can store and give back unchanged (docs/SECURITY.md): bodies
 * are UTF-8, and no string of a body, a query or a path holds a NUL (PostgreSQL's text cannot) or an
 * unpaired UTF-16 surrogate (it has no UTF-8 form, so it would come back as U+FFFD, and two
 * different passwords would be one). A declared charset other than UTF-8 is a 415 rather than a
 * guess; bytes that are not UTF-8 and these characters are a 422 naming the field.
 */
import { isUtf8 } from 'node:buffer';
import { MIMEType } from 'node:util';
import type { FastifyBodyParser, FastifyInstance, FastifyRequest } from 'fastify';
import { type FieldError, unprocessable } from '../core/errors.ts';
import { HttpError } from './problem.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The content-type parser of a text body (the weigh-in CSV), held by the instance for the route plugins. */
    parseUtf8Text: FastifyBodyParser<Buffer>;
  }
}

declare global {
  interface String {
    /** ES2024 (Node 20+): false when the string holds an unpaired surrogate. */
    isWellFormed(): boolean;
  }
}

/** Two native scans (a regular expression costs several times as much on the short strings of a body). */
function unstorableMessage(text: string): string | null {
  if (text.includes('\0')) return 'must not contain a NUL character (U+0000)';
  if (!text.isWellFormed()) return 'must not contain an unpaired UTF-16 surrogate (U+D800–U+DFFF), which is not Unicode text';
  return null;
}

const NOT_UTF8 = 'is not valid UTF-8';

/**
 * The first string or property name in `value` that cannot be stored as text, as a field error
 * (`prefix` names the value: `body`, `query`, `path`); null when there is none. One pass over the
 * strings; the path is built only for the one found.
 */
export function unstorableText(value: unknown, prefix: string): FieldError | null {
  const found = find(value);
  return found === null ? null : { field: [prefix, ...found.path].join('.'), message: found.message };
}

function find(value: unknown): { path: string[]; message: string } | null {
  if (typeof value === 'string') {
    const message = unstorableMessage(value);
    return message === null ? null : { path: [], message };
  }
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = find(value[i]);
      if (found) return { ...found, path: [String(i), ...found.path] };
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const keyMessage = unstorableMessage(key);
    if (keyMessage !== null) return { path: [key], message: `its name ${keyMessage}` };
    const found = find((value as Record<string, unknown>)[key]);
    if (found) return { ...found, path: [key, ...found.path] };
  }
  return null;
}

export const unstorableTextError = (found: FieldError) => unprocessable('The request has fields that failed validation', [found]);

export const invalidUtf8Error = (field: string) =>
  unprocessable('The request body is not valid UTF-8', [{ field, message: NOT_UTF8 }], 'invalid_utf8');

/** The charset each Content-Type header seen declares (null: none). */
const charsets = new Map<string, string | null>();

/**
 * A 415 when the Content-Type declares a charset other than UTF-8 (RFC 8259 §8.1 makes JSON UTF-8;
 * the CSV import reads UTF-8 too); null when it declares none or UTF-8.
 */
export function refusedCharset(request: FastifyRequest): HttpError | null {
  const header = request.headers['content-type'];
  if (header === undefined || !header.includes(';')) return null;
  let charset = charsets.get(header);
  if (charset === undefined) {
    try {
      charset = new MIMEType(header).params.get('charset');
    } catch {
      return new HttpError(415, 'The Content-Type header is malformed', { code: 'unsupported_media_type' });
    }
    // Clients send the same few headers over and over; parsing one costs about as much as the rest of these checks.
    if (charsets.size >= 100) charsets.clear();
    charsets.set(header, charset);
  }
  if (charset === null || /^utf-?8$/i.test(charset)) return null;
  return new HttpError(415, `The body is declared as charset=${charset}; only UTF-8 is accepted: send the text as UTF-8`, {
    code: 'unsupported_charset',
  });
}

/** A text body (the weigh-in CSV): UTF-8, without NUL (a file with NULs is most often UTF-16). */
const parseUtf8Text: FastifyBodyParser<Buffer> = (request, bytes, done) => {
  const refused = refusedCharset(request);
  if (refused) return done(refused, undefined);
  if (!isUtf8(bytes)) {
    return done(
      unprocessable(
        'The file is not UTF-8 text; save it as UTF-8 (e.g. "CSV UTF-8") and send it again',
        [{ field: 'body', message: NOT_UTF8 }],
        'invalid_utf8',
      ),
      undefined,
    );
  }
  const text = bytes.toString('utf8');
  if (text.includes('\0')) {
    return done(
      unprocessable('The file holds NUL characters (is it UTF-16?); save it as UTF-8 and send it again', [
        { field: 'body', message: 'must not contain a NUL character (U+0000)' },
      ]),
      undefined,
    );
  }
  return done(null, text);
};

/**
 * The query string's percent-encoding must decode as UTF-8: fast-querystring keeps a value it
 * cannot decode as the raw `%FF`, which would pass for those three characters. A query string that
 * decodes as a whole decodes part by part too (a percent-escape never spans `&` or `=`), so the
 * parts are looked at only to name the field.
 */
function badlyEncodedQueryField(url: string): string | null {
  const start = url.indexOf('?');
  if (start === -1 || !url.includes('%', start)) return null;
  const query = url.slice(start + 1);
  if (decodes(query)) return null;
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    const name = equals === -1 ? pair : pair.slice(0, equals);
    if (!decodes(name)) return `query.${name}`;
    if (!decodes(pair.slice(equals + 1))) return `query.${decodeURIComponent(name.replace(/\+/g, ' '))}`;
  }
  return 'query';
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The checks beyond the body parsers: the query string and the path parameters of every route that
 * declares them in its schema (a route that reads them declares them; the web app's pages, which
 * do not, keep whatever query a link brings), and the text parser for the routes that take one.
 */
export function registerTextChecks(app: FastifyInstance) {
  app.decorate('parseUtf8Text', parseUtf8Text);
  app.addHook('preValidation', (request, _reply, done) => {
    const schema = request.routeOptions.schema;
    if (schema?.querystring) {
      const badlyEncoded = badlyEncodedQueryField(request.url);
      if (badlyEncoded !== null)
        return done(
          unprocessable('The query string is not percent-encoded UTF-8', [{ field: badlyEncoded, message: NOT_UTF8 }], 'invalid_utf8'),
        );
      const found = unstorableText(request.query, 'query');
      if (found) return done(unstorableTextError(found));
    }
    if (schema?.params) {
      const found = unstorableText(request.params, 'path');
      if (found) return done(unstorableTextError(found));
    }
    return done();
  });
}
