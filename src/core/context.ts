/**
 * What the routes and services receive: the service's collaborators, created once at start
 * (src/http/app.ts). The collaborators are named here by what they do; the modules implement them
 * (auth/tokens.ts, auth/passwords.ts, auth/sessions.ts, auth/loginLimiter.ts, auth/passwordReset.ts,
 * users/signupLimiter.ts, users/profiles.ts, mail/sender.ts), so that every module and the HTTP layer depend on this file and it on none of them.
 */
import type { Config } from '../config.ts';
import type { Database, DatabaseHandle } from '../db/client.ts';
import type { ReadRouter } from '../db/replicas.ts';
import type { users } from '../db/schema.ts';
import type { SharedRedis } from '../infra/redis.ts';

export interface AppContext {
  config: Config;
  database: DatabaseHandle;
  db: Database;
  tokens: TokenService;
  passwords: PasswordHasher;
  sessions: SessionChecker;
  loginLimiter: LoginLimiter;
  signupLimiter: SignupLimiter;
  passwordResetLimiter: PasswordResetLimiter;
  /** Mail (SMTP_URL): whether it is set up, and the sender of this process to wake. */
  mail: MailService;
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
  /** The backups the service writes itself (BACKUP_DIR, src/admin/schedule.ts), for /health/ready and /metrics; null without. */
  backups: ScheduledBackups | null;
}

export interface BackupStatus {
  /** The newest backup in the folder, by the time in its name: this instance's or another's sharing the folder. */
  lastSuccessAt: Date | null;
  /** Set while the last attempt of this instance failed; cleared by the next success. */
  lastError: { at: Date; message: string } | null;
  /** When this instance looks at the folder again, and writes one if none is newer than the interval. */
  nextDueAt: Date | null;
  /** Attempts of this instance that failed since it started. */
  failures: number;
  /** How long this instance's last attempt took, successful or not. */
  lastDurationSeconds: number | null;
}

export interface ScheduledBackups {
  status(): BackupStatus;
}

export interface TokenClaims {
  sub: string;
  type: 'access' | 'refresh';
  sid: string;
  jti?: string;
  exp: number;
}

export interface TokenService {
  issueAccess(userId: string, familyId: string): string;
  issueRefresh(userId: string, familyId: string): { token: string; expiresAt: Date };
  /** Verified claims, or null for a bad signature, an expired token or a malformed one. */
  verify(token: string): TokenClaims | null;
  accessTtlSeconds: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Always does the work of one verification, even for an unknown account (no timing oracle). */
  verify(storedHash: string | null, password: string): Promise<boolean>;
  /**
   * Whether a stored hash was made otherwise than a new one would be (another algorithm, version or
   * parameters): after a successful sign-in it is replaced, so a change of ARGON2_* reaches every
   * account that signs in (OWASP: upgrade the work factor on the next login).
   */
  needsRehash(storedHash: string): boolean;
  /** Hashes and verifications started and not finished: running, or waiting for their turn. */
  inFlight(): number;
  /** Of those, the ones waiting for their turn. */
  waiting(): number;
}

export interface SessionChecker {
  isActive(sessionId: string, userId: string): Promise<boolean>;
  /** Drops the cached answers for a user's sessions (after logout or deletion on this instance). */
  forgetUser(userId: string): void;
}

/** One reserved password check: counted as a failure unless given back. */
interface PasswordAttempt {
  /** The password was right, or the check could not be made: it does not count. */
  giveBack(): Promise<void>;
}

export interface LoginLimiter {
  /** Reserves a check of `email`'s password from `address`; 429 when either has no failures left. */
  reserve(email: string, address: string): Promise<PasswordAttempt>;
}

export interface SignupLimiter {
  /** Counts one sign-up from `address`; 429 with Retry-After when its window is used up. */
  take(address: string): Promise<void>;
}

export interface PasswordResetLimiter {
  /** Counts one reset request from `address` for `email`; 429 with Retry-After when either is used up. */
  take(address: string, email: string): Promise<void>;
}

export interface MailService {
  /** SMTP_URL, MAIL_FROM and PUBLIC_URL are set; without, what needs mail answers 501 (docs/DEPLOY.md, 'Mail'). */
  readonly enabled: boolean;
  /** Wakes this process's sender: call once the transaction that queued a mail has committed. */
  queued(): void;
  /** This instance's mails sent, given up (marked failed) and retried since it started (/metrics). */
  counts(): { sent: number; failed: number; retried: number };
  /** Seconds since the oldest mail still waiting in the outbox was queued, by any instance; 0 when none waits. */
  oldestPendingAgeSeconds(): Promise<number>;
}

/** What the body-fat formulas need of a user. */
export type BodyProfile = Pick<typeof users.$inferSelect, 'gender' | 'heightCm' | 'dateOfBirth'>;

export interface ProfileMemory {
  get(userId: string): BodyProfile | undefined;
  /** Remembers the profile of a row just read or written. */
  remember(user: BodyProfile & { id: string }): void;
  forget(userId: string): void;
}
