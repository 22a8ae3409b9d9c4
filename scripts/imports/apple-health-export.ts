/**
 * Writes a synthetic Apple Health export (export.xml, or export.zip holding apple_health_export/export.xml)
 * of about a given size, as the Health app lays it out: an inline DTD, `<HealthData>`, `<ExportDate>`, `<Me>`,
 * then the records grouped by type, the food correlations (whose records also stand at the top level), the
 * workouts and the daily activity summaries. Watch telemetry (heart rate, steps, energy burned, distance),
 * which the importer skips, fills most of the file, as in real exports. The weights and the food are what
 * src/modules/imports/formats/apple-health.ts reads: weigh-ins most mornings (some evenings, a few typos),
 * meals from three apps over the years (kcal, `Cal`, kJ), a second app duplicating some dinners, offsets
 * that change with summer time and a trip, and snacks just before and after midnight.
 *
 * Everything is written as it is made (nothing is built in memory) and is the same for the same seed.
 * What was written comes back with the figures a reader should find: `npm run imports:generate` writes a file
 * (scripts/imports/generate-apple-health.ts); test/unit/imports/generator.test.ts reads one back.
 */
import { createWriteStream } from 'node:fs';
import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import { mulberry32 as random } from '../../test/support/syntheticPerson.ts';

const KG_PER_LB = 0.45359237;
const KJ_PER_KCAL = 4.184;

export interface GeneratorOptions {
  sizeMb: number;
  zip?: boolean;
  seed?: number;
  weightUnit?: 'kg' | 'lb';
  /** The last day of the history, YYYY-MM-DD. */
  lastDay?: string;
}

/** What a reader should find: each day's first valid weigh-in in kg, and each day's intake from the app that logged the most. */
export interface GeneratedExport {
  bytes: number;
  /** `<Record>` elements at the top level (the ones nested in correlations are not counted). */
  records: number;
  /** Weigh-ins no reader should take (a typo far outside 30–300 kg). */
  rejectedWeights: number;
  weights: Record<string, number>;
  intake: Record<string, { kcal: number; proteinG: number; carbsG: number; fatG: number }>;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function dayName(epochDay: number): string {
  const date = new Date(epochDay * 86_400_000);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** Summer time from April to October, a ten-day trip to New York in September, else Central Europe. */
function offsetOf(epochDay: number): string {
  const date = new Date(epochDay * 86_400_000);
  const month = date.getUTCMonth() + 1;
  if (month === 9 && date.getUTCDate() >= 10 && date.getUTCDate() < 20) return '-0400';
  return month >= 4 && month <= 10 ? '+0200' : '+0100';
}

const stamp = (day: string, minutes: number, seconds: number, offset: string) =>
  `${day} ${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}:${pad(seconds)} ${offset}`;

const DEVICE_WATCH =
  '&lt;&lt;HKDevice: 0x283f2d9a0&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:9.1&gt;';
const DEVICE_PHONE =
  '&lt;&lt;HKDevice: 0x283f2c1e0&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone13,2, software:16.1&gt;';
const DEVICE_SCALE =
  '&lt;&lt;HKDevice: 0x28108e4e0&gt;, name:Body Cardio, manufacturer:Withings, model:Body Cardio, hardware:WBS04, software:1200&gt;';

const PROLOG = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth                 CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex               CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBloodType                   CDATA #REQUIRED
  HKCharacteristicTypeIdentifierFitzpatrickSkinType         CDATA #REQUIRED
  HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!-- Note: Any Records that appear as children of a correlation also appear as top-level records in this document. -->
<!ELEMENT Correlation ((MetadataEntry|Record)*)>
<!ATTLIST Correlation
  type          CDATA #REQUIRED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  sourceVersion         CDATA #IMPLIED
  device                CDATA #IMPLIED
  creationDate          CDATA #IMPLIED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT ActivitySummary EMPTY>
<!ATTLIST ActivitySummary
  dateComponents           CDATA #IMPLIED
  activeEnergyBurned       CDATA #IMPLIED
  activeEnergyBurnedGoal   CDATA #IMPLIED
  activeEnergyBurnedUnit   CDATA #IMPLIED
  appleExerciseTime        CDATA #IMPLIED
  appleExerciseTimeGoal    CDATA #IMPLIED
  appleStandHours          CDATA #IMPLIED
  appleStandHoursGoal      CDATA #IMPLIED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
]>
`;

/** Buffers the text and hands it to the sink in large pieces, waiting whenever the sink is full. */
class TextSink {
  private pending: string[] = [];
  private pendingChars = 0;
  bytes = 0;
  constructor(private readonly sink: Writable) {}

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= 256 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
    this.bytes += chunk.length;
    if (!this.sink.write(chunk)) await new Promise<void>((resolve) => this.sink.once('drain', resolve));
  }
}

interface Meal {
  minutes: number;
  kcal: number;
  proteinG: number;
  carbsG: number;
  fatG: number;
}
interface FoodApp {
  name: string;
  version: string;
  unit: 'kcal' | 'Cal' | 'kJ';
}

const MY_FITNESS_PAL: FoodApp = { name: 'MyFitnessPal', version: '22.4.0', unit: 'kcal' };
const YAZIO: FoodApp = { name: 'YAZIO', version: '9.12.1', unit: 'kJ' };
const LOSE_IT: FoodApp = { name: 'Lose It!', version: '15.3.1', unit: 'Cal' };
/** Writes some dinners a second time, as a second food app connected to Health does. */
const SECOND_APP: FoodApp = { name: 'Cronometer', version: '4.5.2', unit: 'kcal' };

/** The plan of one day, the same whichever part of the file asks for it. */
interface DayPlan {
  day: string;
  offset: string;
  weighIns: { minutes: number; kg: number }[];
  app: FoodApp;
  meals: Meal[];
  duplicateDinner: boolean;
}

const oneDecimal = (x: number) => Math.round(x * 10) / 10;

function planDay(seed: number, epochDay: number, index: number, days: number): DayPlan {
  const rng = random(seed * 7919 + epochDay);
  const day = dayName(epochDay);
  const trendKg = 92 - (index / days) * 14;
  const weighIns: DayPlan['weighIns'] = [];
  if (rng() < 0.75) weighIns.push({ minutes: 390 + Math.floor(rng() * 120), kg: trendKg + (rng() - 0.5) });
  if (rng() < 0.15) weighIns.push({ minutes: 1200 + Math.floor(rng() * 150), kg: trendKg + 0.8 + (rng() - 0.5) });
  if (rng() < 0.02) weighIns.push({ minutes: 300, kg: trendKg / 10 }); // a typo: 8.9 for 89
  const meals: Meal[] = [];
  if (rng() < 0.85) {
    const meal = (minutes: number, scale: number): Meal => ({
      minutes,
      kcal: oneDecimal(scale * (300 + rng() * 500)),
      proteinG: oneDecimal(scale * (10 + rng() * 40)),
      carbsG: oneDecimal(scale * (20 + rng() * 70)),
      fatG: oneDecimal(scale * (5 + rng() * 30)),
    });
    if (rng() < 0.05) meals.push(meal(5 + Math.floor(rng() * 25), 0.4)); // just after midnight: this day's
    meals.push(meal(420 + Math.floor(rng() * 120), 0.8), meal(720 + Math.floor(rng() * 90), 1));
    if (rng() < 0.5) meals.push(meal(900 + Math.floor(rng() * 60), 0.5));
    meals.push(meal(1110 + Math.floor(rng() * 120), 1.2));
    if (rng() < 0.1) meals.push(meal(1410 + Math.floor(rng() * 29), 0.4)); // just before midnight
  }
  const share = index / days;
  const app = share < 0.4 ? MY_FITNESS_PAL : share < 0.6 ? YAZIO : LOSE_IT;
  return { day, offset: offsetOf(epochDay), weighIns, app, meals, duplicateDinner: meals.length > 0 && rng() < 0.05 };
}

const energyValue = (kcal: number, unit: FoodApp['unit']) => (unit === 'kJ' ? oneDecimal(kcal * KJ_PER_KCAL) : kcal);

function record(
  type: string,
  source: string,
  version: string,
  device: string | null,
  unit: string | null,
  start: string,
  end: string,
  value: string,
  children = '',
): string {
  const deviceAttr = device ? ` device="${device}"` : '';
  const unitAttr = unit ? ` unit="${unit}"` : '';
  const open = ` <Record type="${type}" sourceName="${source}" sourceVersion="${version}"${deviceAttr}${unitAttr} creationDate="${end}" startDate="${start}" endDate="${end}" value="${value}"`;
  return children ? `${open}>\n${children} </Record>\n` : `${open}/>\n`;
}

const NUTRIENTS = [
  ['HKQuantityTypeIdentifierDietaryEnergyConsumed', null],
  ['HKQuantityTypeIdentifierDietaryProtein', 'proteinG'],
  ['HKQuantityTypeIdentifierDietaryCarbohydrates', 'carbsG'],
  ['HKQuantityTypeIdentifierDietaryFatTotal', 'fatG'],
] as const;

function mealRecords(plan: DayPlan, app: FoodApp, meal: Meal, indent = ''): string[] {
  const at = stamp(plan.day, meal.minutes, 0, plan.offset);
  return NUTRIENTS.map(([type, key]) => {
    const [unit, value] = key === null ? [app.unit, energyValue(meal.kcal, app.unit)] : ['g', meal[key]];
    return (
      indent +
      record(
        type,
        app.name,
        app.version,
        null,
        unit,
        at,
        at,
        String(value),
        '  <MetadataEntry key="HKFoodMeal" value="' + mealName(meal.minutes) + '"/>\n',
      )
    );
  });
}

const mealName = (minutes: number) => (minutes < 660 ? 'Breakfast' : minutes < 840 ? 'Lunch' : minutes < 1080 ? 'Snack' : 'Dinner');

/** One kind of watch telemetry: many small records a day, all skipped by the importer. */
const TELEMETRY = [
  {
    type: 'HKQuantityTypeIdentifierHeartRate',
    unit: 'count/min',
    value: (r: () => number) => String(55 + Math.floor(r() * 70)),
    meta: '  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n',
  },
  { type: 'HKQuantityTypeIdentifierStepCount', unit: 'count', value: (r: () => number) => String(Math.floor(r() * 400)), meta: '' },
  { type: 'HKQuantityTypeIdentifierActiveEnergyBurned', unit: 'kcal', value: (r: () => number) => (r() * 12).toFixed(3), meta: '' },
  { type: 'HKQuantityTypeIdentifierBasalEnergyBurned', unit: 'kcal', value: (r: () => number) => (r() * 40).toFixed(3), meta: '' },
  { type: 'HKQuantityTypeIdentifierDistanceWalkingRunning', unit: 'km', value: (r: () => number) => (r() * 0.3).toFixed(5), meta: '' },
] as const;

function telemetryRecords(kind: (typeof TELEMETRY)[number], plan: DayPlan, rng: () => number, count: number): string {
  const parts: string[] = [];
  const step = 1440 / Math.max(count, 1);
  for (let i = 0; i < count; i++) {
    const minutes = Math.min(1439, Math.floor(i * step));
    const start = stamp(plan.day, minutes, Math.floor(rng() * 60), plan.offset);
    parts.push(record(kind.type, 'Jane’s Apple Watch', '9.1', DEVICE_WATCH, kind.unit, start, start, kind.value(rng), kind.meta));
  }
  return parts.join('');
}

/** A night's heart rate variability (with its beats) and time in bed. */
function nightRecords(plan: DayPlan, rng: () => number): string {
  const hrv = stamp(plan.day, 180, 0, plan.offset);
  return (
    record(
      'HKQuantityTypeIdentifierHeartRateVariabilitySDNN',
      'Jane’s Apple Watch',
      '9.1',
      DEVICE_WATCH,
      'ms',
      hrv,
      hrv,
      (30 + rng() * 40).toFixed(4),
      '  <HeartRateVariabilityMetadataList>\n   <InstantaneousBeatsPerMinute bpm="61" time="3:00:01.12 AM"/>\n   <InstantaneousBeatsPerMinute bpm="63" time="3:00:02.08 AM"/>\n  </HeartRateVariabilityMetadataList>\n',
    ) +
    record(
      'HKCategoryTypeIdentifierSleepAnalysis',
      'iPhone',
      '16.1',
      DEVICE_PHONE,
      null,
      stamp(plan.day, 0, 0, plan.offset),
      stamp(plan.day, 420, 0, plan.offset),
      'HKCategoryValueSleepAnalysisInBed',
    )
  );
}

function extrasOfDay(plan: DayPlan, rng: () => number, index: number): string {
  const parts: string[] = [];
  for (const meal of plan.app === MY_FITNESS_PAL ? plan.meals : []) {
    const at = stamp(plan.day, meal.minutes, 0, plan.offset);
    parts.push(
      ` <Correlation type="HKCorrelationTypeIdentifierFood" sourceName="${plan.app.name}" sourceVersion="${plan.app.version}" creationDate="${at}" startDate="${at}" endDate="${at}">\n`,
      `  <MetadataEntry key="HKFoodMeal" value="${mealName(meal.minutes)}"/>\n`,
      ...mealRecords(plan, plan.app, meal, ' '),
      ' </Correlation>\n',
    );
  }
  if (index % 3 === 0) {
    const start = stamp(plan.day, 1080, 0, plan.offset);
    const end = stamp(plan.day, 1125, 0, plan.offset);
    parts.push(
      ` <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="45" durationUnit="min" sourceName="Jane’s Apple Watch" sourceVersion="9.1" device="${DEVICE_WATCH}" creationDate="${end}" startDate="${start}" endDate="${end}">\n`,
      '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n  <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>\n',
      `  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" startDate="${start}" endDate="${end}" sum="${(400 + rng() * 200).toFixed(2)}" unit="Cal"/>\n`,
      `  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" startDate="${start}" endDate="${end}" sum="${(6 + rng() * 4).toFixed(3)}" unit="km"/>\n`,
      ' </Workout>\n',
    );
  }
  return parts.join('');
}

function activitySummary(plan: DayPlan, rng: () => number): string {
  return ` <ActivitySummary dateComponents="${plan.day}" activeEnergyBurned="${(300 + rng() * 400).toFixed(3)}" activeEnergyBurnedGoal="500" activeEnergyBurnedUnit="Cal" appleExerciseTime="${Math.floor(rng() * 60)}" appleExerciseTimeGoal="30" appleStandHours="${8 + Math.floor(rng() * 6)}" appleStandHoursGoal="12"/>\n`;
}

function expectedDay(plan: DayPlan, out: GeneratedExport, weightUnit: 'kg' | 'lb') {
  const valid = plan.weighIns.filter((w) => w.kg >= 30);
  out.rejectedWeights += plan.weighIns.length - valid.length;
  const first = valid.sort((a, b) => a.minutes - b.minutes)[0];
  if (first) out.weights[plan.day] = writtenKg(first.kg, weightUnit);
  if (plan.meals.length === 0) return;
  const sum = { kcal: 0, proteinG: 0, carbsG: 0, fatG: 0 };
  for (const meal of plan.meals) {
    const energy = energyValue(meal.kcal, plan.app.unit);
    sum.kcal += plan.app.unit === 'kJ' ? energy / KJ_PER_KCAL : energy;
    sum.proteinG += meal.proteinG;
    sum.carbsG += meal.carbsG;
    sum.fatG += meal.fatG;
  }
  out.intake[plan.day] = sum;
}

const weightValue = (kg: number, unit: 'kg' | 'lb') => oneDecimal(unit === 'lb' ? kg / KG_PER_LB : kg);
const writtenKg = (kg: number, unit: 'kg' | 'lb') => (unit === 'lb' ? weightValue(kg, unit) * KG_PER_LB : weightValue(kg, unit));

/** Bytes of one day's records other than telemetry, and of one telemetry record, measured on a sample. */
function sizes(seed: number, firstEpochDay: number): { fixedPerDay: number; perTelemetry: number } {
  const sample = 30;
  let fixed = 0;
  for (let i = 0; i < sample; i++) {
    const plan = planDay(seed, firstEpochDay + i, i, sample);
    const rng = random(i);
    const food = plan.meals.flatMap((m) => mealRecords(plan, plan.app, m)).join('');
    fixed +=
      Buffer.byteLength(food + extrasOfDay(plan, rng, i) + nightRecords(plan, rng) + activitySummary(plan, rng)) +
      plan.weighIns.length * 420;
  }
  const perTelemetry =
    TELEMETRY.reduce((sum, kind) => sum + Buffer.byteLength(telemetryRecords(kind, planDay(seed, firstEpochDay, 0, 1), random(1), 1)), 0) /
    TELEMETRY.length;
  return { fixedPerDay: fixed / sample, perTelemetry };
}

export async function generateAppleHealthExport(outFile: string, options: GeneratorOptions): Promise<GeneratedExport> {
  const seed = options.seed ?? 1;
  const weightUnit = options.weightUnit ?? 'kg';
  const targetBytes = options.sizeMb * 1024 * 1024;
  const lastEpochDay = Math.floor(Date.parse(`${options.lastDay ?? '2026-03-31'}T00:00:00Z`) / 86_400_000);
  const estimate = sizes(seed, lastEpochDay - 30);
  // Four years of history, fewer for a small file: at least a quarter of it stays telemetry.
  const days = Math.max(14, Math.min(4 * 365, Math.floor((targetBytes * 0.75) / estimate.fixedPerDay)));
  const firstEpochDay = lastEpochDay - days + 1;
  const telemetryPerDay = Math.max(
    0,
    Math.round((targetBytes - days * estimate.fixedPerDay) / (days * TELEMETRY.length * estimate.perTelemetry)),
  );
  const plans = (index: number) => planDay(seed, firstEpochDay + index, index, days);

  const file = createWriteStream(outFile);
  let xml: Writable = file;
  if (options.zip) {
    const zip = new yazl.ZipFile();
    const entry = new PassThrough();
    zip.addReadStream(entry, 'apple_health_export/export.xml');
    zip.addBuffer(
      Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"/>\n'),
      'apple_health_export/export_cda.xml',
    );
    zip.addBuffer(
      Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Apple Health Export"/>\n'),
      'apple_health_export/workout-routes/route_2026-03-01_6.15pm.gpx',
    );
    zip.outputStream.pipe(file);
    zip.end();
    xml = entry;
  }
  const out = new TextSink(xml);
  const result: GeneratedExport = { bytes: 0, records: 0, rejectedWeights: 0, weights: {}, intake: {} };

  await out.write(PROLOG);
  await out.write(`<HealthData locale="en_GB">\n <ExportDate value="${stamp(dayName(lastEpochDay + 1), 480, 0, '+0100')}"/>\n`);
  await out.write(
    ' <Me HKCharacteristicTypeIdentifierDateOfBirth="1988-05-14" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>\n',
  );
  // Records grouped by type, as the Health app writes them: the weigh-ins first.
  for (let i = 0; i < days; i++) {
    const plan = plans(i);
    expectedDay(plan, result, weightUnit);
    for (const weighIn of plan.weighIns) {
      const at = stamp(plan.day, weighIn.minutes, 17, plan.offset);
      await out.write(
        record(
          'HKQuantityTypeIdentifierBodyMass',
          'Withings',
          '6100301',
          DEVICE_SCALE,
          weightUnit,
          at,
          at,
          String(weightValue(weighIn.kg, weightUnit)),
          '  <MetadataEntry key="Modified Date" value="2019-04-19 06:12:09 +0000"/>\n',
        ),
      );
      result.records++;
    }
  }
  for (const [type] of NUTRIENTS) {
    for (let i = 0; i < days; i++) {
      const plan = plans(i);
      const written = (app: FoodApp, meals: Meal[]) =>
        meals.flatMap((m) => mealRecords(plan, app, m)).filter((r) => r.includes(`"${type}"`));
      const lines = [...written(plan.app, plan.meals), ...(plan.duplicateDinner ? written(SECOND_APP, plan.meals.slice(-1)) : [])];
      result.records += lines.length;
      if (lines.length > 0) await out.write(lines.join(''));
    }
  }
  for (const kind of TELEMETRY) {
    for (let i = 0; i < days; i++) {
      await out.write(telemetryRecords(kind, plans(i), random(seed + i * 31 + kind.type.length), telemetryPerDay));
      result.records += telemetryPerDay;
    }
  }
  for (let i = 0; i < days; i++) {
    await out.write(nightRecords(plans(i), random(seed * 3 + i)));
    result.records += 2;
  }
  for (let i = 0; i < days; i++) await out.write(extrasOfDay(plans(i), random(seed * 5 + i), i));
  for (let i = 0; i < days; i++) await out.write(activitySummary(plans(i), random(seed * 11 + i)));
  await out.write('</HealthData>\n');
  await out.flush();
  xml.end();
  await finished(file);
  result.bytes = out.bytes;
  return result;
}
