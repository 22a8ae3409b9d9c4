/**
 * What the body-fat formulas need of a user (sex, height, date of birth), remembered per
 * instance so that a new measurement can be saved in one statement instead of a read of the user
 * and then the insert: on a virtual machine each round trip to the database costs the service
 * 50–250 µs of CPU (docs/PERFORMANCE.md).
 *
 * A remembered profile is never trusted on its own: the insert carries it as a guard and inserts
 * nothing unless the user's row still has exactly these values (measurements/repository.ts). A
 * profile changed on another instance, or a deleted account, therefore costs a fresh read, never a
 * measurement computed from stale values.
 */
import { growingCache } from '../../infra/cache.ts';
import type { BodyProfile, ProfileMemory } from '../../core/context.ts';

export function createProfileMemory(max = 50_000): ProfileMemory {
  const profiles = growingCache<string, BodyProfile>(max);
  return {
    get: (userId) => profiles.get(userId),
    remember: (user) => {
      profiles.set(user.id, { gender: user.gender, heightCm: user.heightCm, dateOfBirth: user.dateOfBirth });
    },
    forget: (userId) => {
      profiles.delete(userId);
    },
  };
}
