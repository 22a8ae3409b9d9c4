/**
 * The JSON body parser: Fastify's own (prototype-poisoning safe), plus these rules. An empty body is
 * no body, so a route that needs one says so with its schema and a 404 or 405 stays one; nesting
 * deeper than the configured depth is refused before parsing (no schema here goes past 4); and the
 * body is UTF-8 text that can be stored as it came (text.ts), whatever the route.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { unprocessable } from '../core/errors.ts';
import { invalidUtf8Error, refusedCharset, unstorableText, unstorableTextError } from './text.ts';

/** True when brackets nest deeper than `max` outside of strings; a linear scan, no recursion. */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
    }
  }
  return false;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const GENUINE_REPLACEMENT = Buffer.from('\ufffd');
const ESCAPED_REPLACEMENT = Buffer.from('\\ufffd');

/**
 * Which field of a JSON body holds the bytes that are not UTF-8, for the 422; `body` when that
 * cannot be told (the bytes are outside any string, or the rest is not JSON either). A lenient
 * decoder turns each run of such bytes into U+FFFD; the body's own U+FFFD characters (always the
 * bytes EF BF BD) are first written as the JSON escape `\ufffd`, so every U+FFFD left stands for
 * invalid bytes. Each becomes the escape of an unpaired surrogate, which the string scan finds by field.
 */
function fieldWithInvalidBytes(bytes: Buffer, maxDepth: number): string {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(GENUINE_REPLACEMENT); at !== -1; at = bytes.indexOf(GENUINE_REPLACEMENT, from)) {
    parts.push(bytes.subarray(from, at), ESCAPED_REPLACEMENT);
    from = at + GENUINE_REPLACEMENT.length;
  }
  parts.push(bytes.subarray(from));
  const marked = Buffer.concat(parts).toString('utf8').replaceAll('\ufffd', '\\udfff');
  if (nestsDeeperThan(marked, maxDepth)) return 'body';
  try {
    return unstorableText(JSON.parse(marked), 'body')?.field ?? 'body';
  } catch {
    return 'body';
  }
}

export function registerJsonParser(app: FastifyInstance, maxDepth: number) {
  // JSON only: a text/plain body is a 415, not a string that fails the schema.
  app.removeContentTypeParser('text/plain');
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // As bytes, so that bytes which are not UTF-8 are refused rather than read as U+FFFD.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (bytes.length === 0) return done(null, undefined);
    const refused = refusedCharset(request);
    if (refused) return done(refused, undefined);
    if (!isUtf8(bytes)) return done(invalidUtf8Error(fieldWithInvalidBytes(bytes, maxDepth)), undefined);
    const text = bytes.toString('utf8');
    if (nestsDeeperThan(text, maxDepth)) {
      return done(
        unprocessable(
          `The JSON body nests deeper than ${maxDepth} levels`,
          [{ field: 'body', message: 'nested too deeply' }],
          'json_too_deep',
        ),
        undefined,
      );
    }
    return parseJson(request, text, (error, value) => {
      // Fastify's parser refuses these keys (prototype poisoning) with the same error as broken JSON;
      // when the text is valid JSON that was the reason, so say so.
      if (error && isJson(text)) {
        return done(
          unprocessable(
            'The JSON body has a "__proto__" or "constructor.prototype" key, which is refused',
            [{ field: 'body', message: 'has a forbidden key' }],
            'json_forbidden_key',
          ),
          undefined,
        );
      }
      if (error) return done(error, undefined);
      const unstorable = unstorableText(value, 'body');
      return unstorable ? done(unstorableTextError(unstorable), undefined) : done(null, value);
    });
  });
}
