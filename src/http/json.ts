/**
 * The JSON body parser: Fastify's own (prototype-poisoning safe), plus two rules. An empty body is
 * no body, so a route that needs one says so with its schema and a 404 or 405 stays one; and
 * nesting deeper than the configured depth is refused before parsing (no schema here goes past 4).
 */
import type { FastifyInstance } from 'fastify';
import { unprocessable } from './problem.ts';

/** True when brackets nest deeper than `max` outside of strings; a linear scan, no recursion. */
export function nestsDeeperThan(text: string, max: number): boolean {
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

export function registerJsonParser(app: FastifyInstance, maxDepth: number) {
  // JSON only: a text/plain body is a 415, not a string that fails the schema.
  app.removeContentTypeParser('text/plain');
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text === '') return done(null, undefined);
    if (nestsDeeperThan(text, maxDepth)) {
      return done(unprocessable(`The JSON body nests deeper than ${maxDepth} levels`, [{ field: 'body', message: 'nested too deeply' }], 'json_too_deep'), undefined);
    }
    return parseJson(request, text, (error, value) => {
      // Fastify's parser refuses these keys (prototype poisoning) with the same error as broken JSON;
      // when the text is valid JSON that was the reason, so say so.
      if (error && isJson(text)) {
        return done(unprocessable('The JSON body has a "__proto__" or "constructor.prototype" key, which is refused', [{ field: 'body', message: 'has a forbidden key' }], 'json_forbidden_key'), undefined);
      }
      return done(error, value);
    });
  });
}
