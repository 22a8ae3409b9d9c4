/**
 * What every import format reader gives back: the file's days, each already summed to one value per
 * calendar day, and the rows it could not read. Readers know nothing of the person or the database;
 * the import job (../service.ts) checks the days against the person (not before their birth, not in
 * the future) and stores them.
 */

export const IMPORT_FORMATS = ['myfitnesspal', 'cronometer', 'loseit', 'apple_health', 'weights_csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export type WeightUnit = 'kg' | 'lb';

/** A file to read: its path on disk (the spooled upload) and what is known of it before reading. */
export interface ImportFile {
  path: string;
  sizeBytes: number;
  /** Up to the first 64 KiB of the file, for recognising its format. */
  head: Buffer;
  /** The names of the entries when the file is a ZIP archive (read from its central directory), else null. */
  zipEntries: string[] | null;
}

export interface ReadOptions {
  /** Set when the person said which unit the weights are in; otherwise the reader takes it from the file. */
  weightUnit?: WeightUnit | undefined;
  /** Called now and then with the share of the file read so far (0–1). */
  onProgress: (fraction: number) => void;
  /** Stops the reading: the reader rejects with the signal's reason. */
  signal: AbortSignal;
}

/** `where` names the place in the file a day or a refusal comes from: `food-logs.csv line 12`, `export.xml record 8412`. */
export interface DayWeight {
  day: string;
  weightKg: number;
  where: string;
}

export interface DayIntake {
  day: string;
  calories: number;
  proteinG: number | null;
  carbsG: number | null;
  fatG: number | null;
  /** False when the file says, or its meals show, the day was logged only partly (docs/SCIENCE.md, 'Partial days'). */
  complete: boolean;
  where: string;
}

export interface RejectedRow {
  where: string;
  reason: string;
}

/** How many of the rows it refused a reader lists (ParsedImport.rejected), and an import's report lists. */
export const LISTED_REJECTIONS = 100;

export interface ParsedImport {
  format: ImportFormat;
  /** The unit the weights were read in, and whether the file said so or it was inferred; null without weights. */
  weightUnit: WeightUnit | null;
  /** True when neither the file nor the person named the unit and the reader inferred it from the values (Lose It!, MyFitnessPal). */
  weightUnitInferred?: boolean;
  /** Ascending by day, one per day. */
  weights: DayWeight[];
  /** Ascending by day, one per day. */
  intake: DayIntake[];
  /** The first LISTED_REJECTIONS rows the reader refused, in file order. */
  rejected: RejectedRow[];
  /** How many rows it refused in all. */
  rejectedCount: number;
}

/** The file as a whole cannot be imported; `code` is the problem's stable code. */
export class ImportRefused extends Error {
  override name = 'ImportRefused';
  constructor(
    readonly code: 'unknown_format' | 'corrupt_archive' | 'not_apple_health' | 'unreadable_file',
    message: string,
  ) {
    super(message);
  }
}

export interface FormatReader {
  format: ImportFormat;
  /** Whether the file is in this format, from its head or, for a ZIP, its entry names. Cheap: no reading beyond `file`. */
  recognises(file: ImportFile): boolean;
  read(file: ImportFile, options: ReadOptions): Promise<ParsedImport>;
}
