/**
 * The measurement a Log progress attempt links. An attempt whose check-in was refused leaves its
 * measurement saved: the next attempt reuses it if nothing was changed, and otherwise deletes it
 * before saving the new one, so a corrected check-in does not leave an orphan in History.
 */

/** The measurement saved by an earlier attempt, and the body it was saved from. */
export interface PendingMeasurement {
  key: string;
  id: string;
}

export async function measurementForAttempt(
  pending: PendingMeasurement | null,
  key: string,
  create: () => Promise<string>,
  remove: (id: string) => Promise<void>,
): Promise<PendingMeasurement> {
  if (pending?.key === key) return pending;
  // Best effort: a refusal (409 when the lost answer of a check-in did link it) or a failure only
  // leaves the orphan there was before; the check-in the person asked for matters more.
  if (pending) await remove(pending.id).catch(() => undefined);
  return { key, id: await create() };
}
