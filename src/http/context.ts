import type { Config } from '../config.ts';
import type { Database, DatabaseHandle } from '../db/client.ts';
import type { ReadRouter } from '../db/replicas.ts';
import type { SharedRedis } from '../infra/redis.ts';
import type { LoginLimiter } from '../modules/auth/loginLimiter.ts';
import type { PasswordHasher } from '../modules/auth/passwords.ts';
import type { SessionChecker } from '../modules/auth/sessions.ts';
import type { TokenService } from '../modules/auth/tokens.ts';
import type { ProfileMemory } from '../modules/users/profiles.ts';
import type { SignupLimiter } from '../modules/users/signupLimiter.ts';

/** What route modules receive: the service's collaborators, created once at start. */
export interface AppContext {
  config: Config;
  database: DatabaseHandle;
  db: Database;
  tokens: TokenService;
  passwords: PasswordHasher;
  sessions: SessionChecker;
  loginLimiter: LoginLimiter;
  signupLimiter: SignupLimiter;
  /** Users' sex, height and date of birth as last seen here; only ever used guarded (users/profiles.ts). */
  profiles: ProfileMemory;
  /** The deployment's shared Redis (REDIS_URL), or null for a single instance. */
  redis: SharedRedis | null;
  /**
   * Where to read `userId`'s data for lists, history, trends, plans and exports: a read replica
   * that has replayed their last write, or the primary (always, without DATABASE_REPLICA_URLS).
   * Reads that decide a write stay on `db`.
   */
  reader(userId: string): Promise<Database>;
  reads: ReadRouter;
  /** The clock, injectable so tests can ask "as of when". */
  now: () => Date;
}
