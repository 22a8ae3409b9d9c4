/**
 * Reads weigh-ins from the CSV exports people already have: a plain `date,weight`, and the layouts
 * of common trackers' exports — Libra (`#` comment lines, `;`-separated, ISO timestamps, columns
 * `date;weight;weight trend;…`), Withings (`Date,"Weight (kg)",…` with `YYYY-MM-DD HH:MM:SS`),
 * Fitbit / TrendWeight / Happy Scale style `Date,Weight,…`. Every row gets a verdict, so a person
 * sees exactly what was taken and why the rest was not.
 */

export type DateOrder = 'ymd' | 'dmy' | 'mdy';
export type WeightUnit = 'kg' | 'lb';

export interface ImportRow { line: number; date?: string; weightKg?: number; status: 'accepted' | 'rejected'; reason?: string }

export const KG_PER_LB = 0.45359237;
const WEIGHT_RANGE_KG = { min: 30, max: 300 };

/** Columns that mention weight but are not the body weight itself. */
const NOT_BODY_WEIGHT = /trend|fat|bmi|lean|muscle|bone|water|goal|target|change|diff|avg|average|mass/i;

function splitLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) { cells.push(cell.trim()); cell = ''; }
    else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

function detectDelimiter(header: string): string {
  const counts = [',', ';', '\t'].map((d) => [d, splitLine(header, d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]![0];
}

const pad = (n: number) => String(n).padStart(2, '0');

function calendarDate(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** The calendar day a cell names; the time of day, if any, is dropped (a weigh-in is per day). */
export function parseDay(cell: string, order: DateOrder | null): { day: string } | { error: string } {
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(cell);
  if (iso) {
    const day = calendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return day ? { day } : { error: `"${cell}" is not a real date` };
  }
  const local = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T ].*)?$/.exec(cell);
  if (local) {
    const [a, b, y] = [Number(local[1]), Number(local[2]), Number(local[3])];
    let effective = order;
    if (effective === null || effective === 'ymd') {
      if (a > 12 && b <= 12) effective = 'dmy';
      else if (b > 12 && a <= 12) effective = 'mdy';
      else return { error: `"${cell}" could be day/month or month/day: pass date_format=dmy or date_format=mdy` };
    }
    const day = effective === 'dmy' ? calendarDate(y, b, a) : calendarDate(y, a, b);
    return day ? { day } : { error: `"${cell}" is not a real date` };
  }
  return { error: `"${cell}" is not a date this import reads (YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY)` };
}

function parseWeight(cell: string, unit: WeightUnit, decimalComma: boolean): { kg: number } | { error: string } {
  const text = (decimalComma ? cell.replace(',', '.') : cell).replace(/\s*(kg|kgs|lb|lbs)$/i, '');
  if (!/^\d+(\.\d+)?$/.test(text)) return { error: `"${cell}" is not a weight` };
  const explicit = /lbs?$/i.test(cell.trim()) ? 'lb' : /kgs?$/i.test(cell.trim()) ? 'kg' : unit;
  const kg = Number(text) * (explicit === 'lb' ? KG_PER_LB : 1);
  if (kg < WEIGHT_RANGE_KG.min || kg > WEIGHT_RANGE_KG.max) {
    return { error: `${cell} ${explicit} is outside ${WEIGHT_RANGE_KG.min}–${WEIGHT_RANGE_KG.max} kg` };
  }
  return { kg: Math.round(kg * 100) / 100 };
}

export interface ParsedImport { rows: ImportRow[]; error?: string }

/**
 * Parses the file. `unit` is the default when neither the header ("Weight (lb)") nor the cell
 * ("72.5 kg") says; `dateOrder` settles dates like 03/04/2024. The first weigh-in of a day is kept
 * (the morning weight, as trend-weight methods assume); later ones that day are rejected as such.
 */
export function parseWeighIns(text: string, options: { unit?: WeightUnit; dateOrder?: DateOrder | null } = {}): ParsedImport {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  if (headerIndex === -1) return { rows: [], error: 'The file has no rows' };
  const delimiter = detectDelimiter(lines[headerIndex]!);
  const header = splitLine(lines[headerIndex]!, delimiter).map((h) => h.toLowerCase());
  const dateColumn = header.findIndex((h) => /date|time|day/.test(h));
  const weightColumn = header.findIndex((h) => /weight|gewicht|poids|peso/.test(h) && !NOT_BODY_WEIGHT.test(h));
  if (dateColumn === -1 || weightColumn === -1) {
    return { rows: [], error: 'The header needs a date column and a weight column (e.g. "date,weight")' };
  }
  const headerUnit = /\(?\b(lbs?|pounds?)\b\)?/.test(header[weightColumn]!) ? 'lb' : /\bkg\b/.test(header[weightColumn]!) ? 'kg' : null;
  const unit = headerUnit ?? options.unit ?? 'kg';
  const decimalComma = delimiter !== ',';
  const seen = new Set<string>();
  const rows: ImportRow[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
    const line = i + 1;
    const cells = splitLine(raw, delimiter);
    const dateCell = cells[dateColumn] ?? '';
    const weightCell = cells[weightColumn] ?? '';
    const date = parseDay(dateCell, options.dateOrder ?? null);
    if ('error' in date) { rows.push({ line, status: 'rejected', reason: date.error }); continue; }
    if (weightCell === '') { rows.push({ line, date: date.day, status: 'rejected', reason: 'no weight on this row' }); continue; }
    const weight = parseWeight(weightCell, unit, decimalComma);
    if ('error' in weight) { rows.push({ line, date: date.day, status: 'rejected', reason: weight.error }); continue; }
    if (seen.has(date.day)) {
      rows.push({ line, date: date.day, weightKg: weight.kg, status: 'rejected', reason: 'an earlier row already gives this day\'s weigh-in' });
      continue;
    }
    seen.add(date.day);
    rows.push({ line, date: date.day, weightKg: weight.kg, status: 'accepted' });
  }
  return { rows };
}
