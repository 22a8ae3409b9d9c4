/**
 * The portable snapshot (docs/DESIGN.md, "Backups: the snapshot format"): gzipped NDJSON. Line 1 is
 * the header; then, for each table in the header's order, a line `{"table":"<name>"}` followed by its
 * rows, one `row_to_json` text a line, in primary-key order. What both the writer and the restore
 * read from the catalog is here too, so they agree on tables, order and text.
 */
import { createHash } from 'node:crypto';
import type { RawQuery } from '../../db/client.ts';
import type { SchemaVersion } from '../../db/schema-version.ts';

export const FORMAT = 'recomp-backup';
export const FORMAT_VERSION = 1;

export interface TableSummary {
  name: string;
  rows: number;
  /** sha256 (hex) of the table's row lines as written, each with its "\n". */
  sha256: string;
}

export interface Header {
  format: typeof FORMAT;
  format_version: number;
  created_at: string;
  source: 'postgres' | 'pglite';
  schema: SchemaVersion;
  tables: (TableSummary & { columns: string[] })[];
}

/**
 * Settings that decide the rows' text, so that it is the same on every server and engine whatever
 * their configuration: times in UTC, floats in their shortest exact form, PostgreSQL's own formats.
 * No statement time limit: a big table takes as long as it takes.
 */
export async function portableSession(query: RawQuery): Promise<void> {
  for (const setting of [
    `SET LOCAL TimeZone = 'UTC'`,
    'SET LOCAL extra_float_digits = 1',
    `SET LOCAL IntervalStyle = 'postgres'`,
    `SET LOCAL bytea_output = 'hex'`,
    'SET LOCAL statement_timeout = 0',
  ])
    await query(setting);
}

export const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

interface Column {
  name: string;
  generated: boolean;
  collatable: boolean;
  /** Its place in the primary key, or null. */
  key: number | null;
}

export interface Table {
  name: string;
  columns: Column[];
}

/** Ours and not an extension's: what a restore replaces. */
const NOT_EXTENSION = (oid: string) => `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = ${oid} AND d.deptype = 'e')`;

/**
 * Every table of the public schema, parents before the tables whose foreign keys point at them (a
 * restore inserts in this order), then by name.
 */
export async function publicTables(query: RawQuery): Promise<Table[]> {
  const rows = await query(`
    SELECT c.relname AS name,
      (SELECT json_agg(json_build_object(
          'name', a.attname, 'generated', a.attgenerated <> '', 'collatable', a.attcollation <> 0,
          'key', array_position(i.indkey::int2[], a.attnum)) ORDER BY a.attnum)::text
        FROM pg_attribute a LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
    FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND ${NOT_EXTENSION('c.oid')}
    ORDER BY c.relname COLLATE "C"`);
  const edges = await query(`
    SELECT child.relname AS child, parent.relname AS parent
    FROM pg_constraint k JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
    WHERE k.contype = 'f' AND child.relnamespace = 'public'::regnamespace AND parent.relnamespace = 'public'::regnamespace
      AND k.conrelid <> k.confrelid`);
  const tables = rows.map((row) => ({ name: String(row.name), columns: JSON.parse(String(row.columns)) as Column[] }));
  const parents = new Map(tables.map((table) => [table.name, new Set<string>()]));
  for (const edge of edges) parents.get(String(edge.child))?.add(String(edge.parent));
  const ordered: Table[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.find((table) => !placed.has(table.name) && [...parents.get(table.name)!].every((parent) => placed.has(parent)));
    if (next === undefined) throw new Error('the tables of the public schema have a cycle of foreign keys');
    ordered.push(next);
    placed.add(next.name);
  }
  return ordered;
}

/** The enum types of the public schema (a restore drops them with the tables). */
export async function publicEnums(query: RawQuery): Promise<string[]> {
  const rows = await query(`
    SELECT t.typname AS name FROM pg_type t
    WHERE t.typnamespace = 'public'::regnamespace AND t.typtype = 'e' AND ${NOT_EXTENSION('t.oid')}
    ORDER BY t.typname COLLATE "C"`);
  return rows.map((row) => String(row.name));
}

const FETCH_ROWS = 1000;

/**
 * A table's rows as lines, in primary-key order (text keys compared byte by byte, so the order is
 * the same on every server whatever its collation), through a cursor so that memory stays flat.
 */
export async function* rowLines(query: RawQuery, table: Table): AsyncGenerator<string[]> {
  const key = table.columns
    .filter((column) => column.key !== null)
    .sort((a, b) => a.key! - b.key!)
    .map((column) => `snapshot_row.${quoteName(column.name)}${column.collatable ? ' COLLATE "C"' : ''}`);
  const order = key.length > 0 ? key.join(', ') : 'row_to_json(snapshot_row)::text COLLATE "C"';
  await query(`DECLARE recomp_rows NO SCROLL CURSOR FOR
    SELECT row_to_json(snapshot_row)::text AS line FROM public.${quoteName(table.name)} snapshot_row ORDER BY ${order}`);
  for (;;) {
    const rows = await query(`FETCH ${FETCH_ROWS} FROM recomp_rows`);
    if (rows.length === 0) break;
    yield rows.map((row) => String(row.line));
  }
  await query('CLOSE recomp_rows');
}

/** A table's count and checksum, over its row lines as the file holds them (each with its "\n"). */
export class RowsDigest {
  private readonly hash = createHash('sha256');
  rows = 0;

  /** Adds a batch; returns its text as written. */
  add(lines: string[]): string {
    const text = `${lines.join('\n')}\n`;
    this.hash.update(text);
    this.rows += lines.length;
    return text;
  }

  sha256(): string {
    return this.hash.digest('hex');
  }
}
