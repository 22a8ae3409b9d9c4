/**
 * `npm run imports:generate -- <out-file> --size-mb N [--zip] [--seed S] [--weight-unit kg|lb]`: writes a
 * synthetic Apple Health export of about N MB of XML (scripts/imports/apple-health-export.ts says what is in
 * it), zipped as the Health app shares it with --zip, and prints what was written as JSON. For measuring the
 * importer on exports of real sizes (docs/PERFORMANCE.md, 'Imports') without anyone's health data.
 */
import { parseArgs } from 'node:util';
import { generateAppleHealthExport } from './apple-health-export.ts';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'size-mb': { type: 'string', default: '250' },
    zip: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    'weight-unit': { type: 'string', default: 'kg' },
  },
});
const [outFile] = positionals;
const sizeMb = Number(args['size-mb']);
const seed = Number(args.seed);
const weightUnit = args['weight-unit'];
if (!outFile || !(sizeMb > 0) || !Number.isInteger(seed) || (weightUnit !== 'kg' && weightUnit !== 'lb')) {
  console.error('usage: generate-apple-health.ts <out-file> --size-mb N [--zip] [--seed S] [--weight-unit kg|lb]');
  process.exit(2);
}

const started = performance.now();
const written = await generateAppleHealthExport(outFile, { sizeMb, zip: args.zip, seed, weightUnit });
console.log(
  JSON.stringify({
    file: outFile,
    xmlBytes: written.bytes,
    records: written.records,
    weightDays: Object.keys(written.weights).length,
    intakeDays: Object.keys(written.intake).length,
    rejectedWeights: written.rejectedWeights,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  }),
);
