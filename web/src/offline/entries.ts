/**
 * The entries a person can make offline (docs/DESIGN.md, 'Offline'): a day's weigh-in, a day's
 * intake, and a check-in (its measurement, then the check-in). Each is sent exactly once: a day's
 * PUT is idempotent, and each POST of a check-in carries its own Idempotency-Key, kept with the
 * entry, so a retry after a lost answer replays the first answer instead of creating a second.
 */
import { api } from '../api/client.ts';
import type { CheckInResult, IntakeBody, Measurement, Problem } from '../api/types.ts';

const SEND_TIMEOUT_MS = 20_000;

export type EntryRequest =
  | { kind: 'weighIn'; date: string; weight_kg: number }
  | { kind: 'intake'; date: string; body: IntakeBody }
  | {
      kind: 'checkIn';
      goalId: string;
      /** The measurement's body as POST /measurements takes it; `measured_at` is when it was taken, not sent. */
      measurement: Record<string, unknown>;
      notes: string | null;
      replace: boolean;
      measurementKey: string;
      checkInKey: string;
      /** Set once the measurement is saved, so a retry sends only the check-in. */
      measurementId: string | null;
    };

export interface QueuedEntry {
  /** Its place in the queue, given by the device's storage. */
  id?: number;
  request: EntryRequest;
  queuedAt: number;
  /** The server refused it (a 4xx): kept, with the server's message, for the person to fix or discard. */
  refused: Problem | null;
}

/**
 * A later entry for the same day replaces a weigh-in or intake still waiting: only the person's
 * last word for that day is sent. Check-ins are each their own.
 */
export function supersedes(request: EntryRequest): string | null {
  return request.kind === 'checkIn' ? null : `${request.kind}:${request.date}`;
}

/**
 * Sends the entry. `saved` is told of progress that must outlive a failure of the next step (the
 * check-in's measurement id). Throws the ApiError of a refusal or a failure.
 */
export async function sendEntry(request: EntryRequest, saved: (request: EntryRequest) => Promise<void>): Promise<unknown> {
  // Poor signal can hold a request for minutes: give up, and send again later (the entry waits).
  const signal = () => AbortSignal.timeout(SEND_TIMEOUT_MS);
  switch (request.kind) {
    case 'weighIn':
      return api('PUT', `/users/me/weights/${request.date}`, { body: { weight_kg: request.weight_kg }, signal: signal() });
    case 'intake':
      return api('PUT', `/users/me/intake/${request.date}`, { body: request.body, signal: signal() });
    case 'checkIn': {
      let measurementId = request.measurementId;
      if (measurementId === null) {
        const measurement = await api<Measurement>('POST', '/measurements', {
          body: request.measurement,
          idempotencyKey: request.measurementKey,
          signal: signal(),
        });
        measurementId = measurement.id;
        await saved({ ...request, measurementId });
      }
      return api<CheckInResult>('POST', `/goals/${encodeURIComponent(request.goalId)}/progress`, {
        body: { measurement_id: measurementId, notes: request.notes, ...(request.replace ? { replace: true } : {}) },
        idempotencyKey: request.checkInKey,
        signal: signal(),
      });
    }
  }
}
