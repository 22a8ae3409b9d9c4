/**
 * Text comes back from PGlite as it was stored. PGlite's protocol parser decodes every value with a
 * TextDecoder in its default mode, which drops a leading byte order mark (WHATWG Encoding, "UTF-8
 * decode"): notes stored as "\ufeffname" came back as "name", where PostgreSQL (through postgres.js)
 * gives back all of it. The bytes are right: only the decoding loses the U+FEFF. PGlite's public
 * `execProtocol` returns the raw reply beside the parsed messages, so each value whose bytes start
 * with EF BB BF gets its U+FEFF back from there. PGlite's own queries (and drizzle's that run the
 * ordinary way) use `execProtocolStream`, which keeps no raw reply: on this instance it runs through
 * `execProtocol` instead, which gives the same messages (what it costs: docs/PERFORMANCE.md,
 * "PGlite's byte order marks").
 */
import type { PGlite } from '@electric-sql/pglite';
import { requireMembers } from './dependency-check.ts';

type Messages = Awaited<ReturnType<PGlite['execProtocol']>>['messages'];
interface DataRow {
  name: 'dataRow';
  fields: (string | null)[];
}

const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);
const DATA_ROW = 0x44; // 'D'

export function keepByteOrderMarks(pg: PGlite): void {
  requireMembers('src/db/pglite-text.ts', '@electric-sql/pglite', 'PGlite', pg, {
    execProtocol: 'function',
    execProtocolStream: 'function',
  });
  const execProtocol = pg.execProtocol.bind(pg);
  pg.execProtocol = async (message, options) => {
    const result = await execProtocol(message, options);
    restoreByteOrderMarks(result.messages, result.data);
    return result;
  };
  pg.execProtocolStream = async (message, options) => (await pg.execProtocol(message, options)).messages;
}

/**
 * Walks the reply's messages (a type byte, then a length that counts itself: PostgreSQL protocol,
 * "Message Formats"); the n-th DataRow there is the n-th among the parsed messages. Replies without
 * the bytes EF BB BF anywhere, nearly all of them, are left at one search.
 */
function restoreByteOrderMarks(messages: Messages, data: Uint8Array): void {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.indexOf(BYTE_ORDER_MARK) === -1) return;
  const rows = messages.filter((message): message is typeof message & DataRow => message.name === 'dataRow');
  let row = 0;
  for (let at = 0; at + 5 <= bytes.length; at += 1 + bytes.readInt32BE(at + 1)) {
    if (bytes[at] !== DATA_ROW) continue;
    const fields = rows[row++]?.fields;
    if (fields === undefined) return;
    let cursor = at + 7; // type, length, the Int16 count of values
    for (let i = 0; i < fields.length; i++) {
      const length = bytes.readInt32BE(cursor);
      cursor += 4;
      if (length >= 3 && bytes[cursor] === 0xef && bytes[cursor + 1] === 0xbb && bytes[cursor + 2] === 0xbf)
        fields[i] = `\ufeff${fields[i]}`;
      if (length > 0) cursor += length;
    }
  }
}
