/**
 * Apple Health's "Export All Health Data": export.zip holding apple_health_export/export.xml (named
 * in the phone's language, exportar.xml, 导出.xml; export_cda.xml, the clinical copy, and the route
 * and ECG files beside it are not read), or that XML on its own. What is kept and how days are made
 * is in apple-health-days.ts.
 *
 * These files run to hundreds of MB and past 1 GB, nearly all watch telemetry. The XML streams
 * through saxes, one chunk (16–64 KiB) at a time, on the event loop: a chunk takes about a
 * millisecond to parse, and the loop serves other requests between chunks (docs/PERFORMANCE.md,
 * 'Imports', has the measurements: saxes parses about 50 MB/s, nearly four times sax's speed, and a
 * 250 MB export leaves the event loop's delay well under the service's budget, so a worker thread
 * would buy little and cost a second copy of the runtime). Only the `<Record>` elements directly
 * under `<HealthData>` count: the records inside a `<Correlation>` (a food's nutrients, a blood
 * pressure's two readings) stand at the top level too.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { AppleHealthDays } from './apple-health-days.ts';
import { Rejections, type Place } from './reading.ts';
import { withSources } from './sources.ts';
import { ImportRefused, type FormatReader, type ImportFile, type ParsedImport, type ReadOptions } from './types.ts';
import { dayWeights } from './weights.ts';
import { baseName, type ZipEntry } from './zip.ts';

const FOLDER = 'apple_health_export/';
const CLINICAL_COPY = 'export_cda.xml';

/** The health data of an archive: an XML file in the export's folder that is not the clinical copy, export.xml first, else the largest. */
function healthEntries<T extends { name: string }>(entries: readonly T[]): T[] {
  return entries.filter((e) => {
    const inFolder = e.name.startsWith(FOLDER) && !e.name.slice(FOLDER.length).includes('/');
    const atRoot = !e.name.includes('/') && e.name.toLowerCase() === 'export.xml';
    return (inFolder || atRoot) && e.name.toLowerCase().endsWith('.xml') && baseName(e.name).toLowerCase() !== CLINICAL_COPY;
  });
}

function pickEntry(entries: ZipEntry[]): ZipEntry[] {
  const candidates = healthEntries(entries);
  const named = candidates.find((e) => baseName(e.name).toLowerCase() === 'export.xml');
  const largest = candidates.reduce<ZipEntry | null>((a, b) => (a === null || b.uncompressedSize > a.uncompressedSize ? b : a), null);
  const chosen = named ?? largest;
  return chosen ? [chosen] : [];
}

const notHealth = () =>
  new ImportRefused('not_apple_health', 'The file is XML but not an Apple Health export (no <HealthData> at its root)');

async function readXml(input: AsyncIterable<Buffer>, name: string, days: AppleHealthDays, rejections: Rejections): Promise<void> {
  const parser = new SaxesParser({ xmlns: false, position: false });
  const decoder = new TextDecoder('utf-8');
  let depth = 0;
  let rootSeen = false;
  let records = 0;
  let refused: ImportRefused | null = null;
  const placeOf = (n: number): Place => ({ where: `${name} record ${n}`, at: n });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (depth === 0) {
      if (tag.name !== 'HealthData') refused ??= notHealth();
      rootSeen = true;
    } else if (depth === 1 && tag.name === 'Record') {
      days.add(tag.attributes, placeOf(++records));
    }
    depth++;
  });
  parser.on('closetag', () => {
    depth--;
  });
  // A malformed stretch of a real export costs the record it is in, not the import; before the root
  // it means the file is not an export at all.
  parser.on('error', (error) => {
    if (!rootSeen) refused ??= new ImportRefused('not_apple_health', `The file is not an Apple Health export: ${error.message}`);
    else rejections.add(placeOf(records + 1), 'malformed_xml');
  });
  for await (const chunk of input) {
    parser.write(decoder.decode(chunk, { stream: true }));
    if (refused) throw refused;
  }
  parser.write(decoder.decode());
  parser.close();
  if (refused) throw refused;
  if (!rootSeen) throw notHealth();
}

export const appleHealth: FormatReader = {
  format: 'apple_health',

  recognises(file: ImportFile): boolean {
    if (file.zipEntries !== null)
      return healthEntries(file.zipEntries.map((name) => ({ name }))).some((e) => e.name.startsWith(FOLDER) || e.name === 'export.xml');
    return /<!DOCTYPE\s+HealthData\b|<HealthData[\s>]/.test(file.head.toString('utf8'));
  },

  async read(file: ImportFile, options: ReadOptions): Promise<ParsedImport> {
    const rejections = new Rejections();
    const days = new AppleHealthDays(rejections);
    await withSources(file, options, pickEntry, async ([source]) => {
      if (!source) throw notHealth();
      await readXml(await source.open(), source.name ?? 'export.xml', days, rejections);
    });
    const weights = dayWeights(days.weighIns, 'kg', rejections);
    return {
      format: 'apple_health',
      weightUnit: days.weightUnit(),
      weights: weights.weights,
      intake: days.days(),
      rejected: rejections.kept,
      rejectedCount: rejections.count,
    };
  },
};
