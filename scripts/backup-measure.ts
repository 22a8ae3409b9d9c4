/**
 * How long a backup and a restore of a year of data take (docs/DEPLOY.md, "Backups and upgrades",
 * "Measured"): 500 people with a daily weigh-in for a year and a weekly measurement, then
 * `writeBackup` and `restoreBackup` timed.
 *   npx tsx scripts/backup-measure.ts pglite
 *   npx tsx scripts/backup-measure.ts postgres postgres://postgres@127.0.0.1:5432/an_empty_database
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { restoreBackup } from '../src/admin/backup/restore.ts';
import { writeBackup } from '../src/admin/backup/write.ts';
import { openPostgres, usePglite } from '../src/db/client.ts';

const [kind, url] = process.argv.slice(2);
if (kind !== 'pglite' && !(kind === 'postgres' && url)) throw new Error('usage: backup-measure.ts pglite | postgres URL');
const database = kind === 'pglite' ? await usePglite(await PGlite.create()) : await openPostgres(url!, { poolSize: 2 });
const folder = await mkdtemp(path.join(tmpdir(), 'recomp-backup-measure-'));
try {
  await database.raw('write', async (query) => {
    await query(`INSERT INTO users (email, password_hash, full_name, date_of_birth, gender, height_cm, preferred_calculation_method, activity_level)
      SELECT 'p' || i || '@example.com', repeat('x', 97), 'Person ' || i, '1980-01-01', 'male', 175, 'navy', 'sedentary'
      FROM generate_series(1, 500) i`);
    await query(`INSERT INTO daily_weights (user_id, day, weight_kg)
      SELECT u.id, date '2024-01-01' + d, 80 + (d % 7) * 0.1 FROM users u, generate_series(0, 364) d`);
    await query(`INSERT INTO body_measurements (user_id, weight_kg, calculation_method, waist_cm, neck_cm, calculated_body_fat_percentage, measured_at)
      SELECT u.id, 80, 'navy', 90, 38, 18.5, timestamptz '2024-01-01' + d * interval '7 days' FROM users u, generate_series(0, 51) d`);
  });
  const file = path.join(folder, 'snapshot.ndjson.gz');
  let started = performance.now();
  const summary = (await writeBackup(database, file))!;
  const rows = summary.tables.reduce((n, table) => n + table.rows, 0);
  console.log(`${kind}: backup of ${rows} rows in ${Math.round(performance.now() - started)} ms, ${summary.bytes} bytes`);
  started = performance.now();
  await restoreBackup(database, file, { force: true });
  console.log(`${kind}: restore in ${Math.round(performance.now() - started)} ms; RSS ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
} finally {
  await database.close();
  await rm(folder, { recursive: true, force: true });
}
