/** Reads Locust's `--csv PREFIX` stats file (PREFIX_stats.csv) into rows the bench report can show. */
import { existsSync, readFileSync } from 'node:fs';

export interface LocustRow {
  type: string;
  name: string;
  count: number;
  failures: number;
  medianMs: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  ratePerSecond: number;
  p95Ms: number;
  p99Ms: number;
}

/** One CSV line; Locust quotes names that contain commas. */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

export function parseLocustCsv(file: string): { endpoints: LocustRow[]; aggregated: LocustRow | null } | null {
  if (!existsSync(file)) return null;
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  if (!header) return null;
  const columns = splitCsv(header);
  const at = (cells: string[], name: string) => Number(cells[columns.indexOf(name)] ?? 'NaN');
  const rows = lines.map(splitCsv).map(
    (cells): LocustRow => ({
      type: cells[0] ?? '',
      name: cells[1] ?? '',
      count: at(cells, 'Request Count'),
      failures: at(cells, 'Failure Count'),
      medianMs: at(cells, 'Median Response Time'),
      meanMs: Math.round(at(cells, 'Average Response Time') * 10) / 10,
      minMs: Math.round(at(cells, 'Min Response Time') * 10) / 10,
      maxMs: Math.round(at(cells, 'Max Response Time') * 10) / 10,
      ratePerSecond: Math.round(at(cells, 'Requests/s') * 10) / 10,
      p95Ms: at(cells, '95%'),
      p99Ms: at(cells, '99%'),
    }),
  );
  return { endpoints: rows.filter((r) => r.name !== 'Aggregated'), aggregated: rows.find((r) => r.name === 'Aggregated') ?? null };
}
