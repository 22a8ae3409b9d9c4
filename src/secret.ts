import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Config, ConfigError, MIN_SECRET_LENGTH } from './config.ts';

/**
 * The JWT signing key: JWT_SECRET when set; otherwise (never in production, see config.ts) a random
 * key generated once and kept in the data folder, so tokens survive restarts (docs/DESIGN.md, 'Tokens and sign-ins').
 */
export async function resolveJwtSecret(config: Config): Promise<string> {
  if (config.jwtSecret !== null) return config.jwtSecret;
  const file = path.join(config.dataDir, 'jwt-secret');
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored.length < MIN_SECRET_LENGTH)
      throw new ConfigError(`${file} holds a secret shorter than ${MIN_SECRET_LENGTH} characters; delete it to make a new one`);
    return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  // 'wx': if another process wrote one meanwhile, keep theirs.
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return (await readFile(file, 'utf8')).trim();
}
