/**
 * The page's side of Background Sync (web/src/pwa.ts), without a browser: the worker's request
 * arrives as a message with a port on a stand-in `navigator.serviceWorker`, and the answer comes
 * back on that port.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { onSyncRequest, requestBackgroundSync } from '../src/pwa.ts';
import { SYNC_REQUEST, SYNC_TAG, type SyncAnswer } from '../src/pwaMessages.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A stand-in service worker container, and a way to deliver the worker's messages with a port for the answer. */
function worker(registration?: object) {
  const container = Object.assign(new EventTarget(), { getRegistration: async () => registration });
  vi.stubGlobal('navigator', { serviceWorker: container });
  return {
    /** Posts `data` to the page without a port. */
    post(data: unknown) {
      container.dispatchEvent(new MessageEvent('message', { data }));
    },
    /** Posts `data` to the page as the worker does; the answer the page sends on the port. */
    ask(data: unknown): Promise<SyncAnswer> {
      const channel = new MessageChannel();
      const answer = new Promise<SyncAnswer>((resolve) => {
        channel.port1.onmessage = (message: MessageEvent<SyncAnswer>) => {
          channel.port1.close();
          resolve(message.data);
        };
      });
      container.dispatchEvent(new MessageEvent('message', { data, ports: [channel.port2] }));
      return answer;
    },
  };
}

describe('a Background Sync request from the worker', () => {
  it('runs the handler and answers ok once the queue went', async () => {
    const sw = worker();
    const handler = vi.fn(async () => {});
    onSyncRequest(handler);
    expect(await sw.ask({ type: SYNC_REQUEST })).toEqual({ ok: true });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('answers not ok with the reason when the queue could not go, so that the browser retries', async () => {
    const sw = worker();
    onSyncRequest(async () => {
      throw new Error('offline again');
    });
    expect(await sw.ask({ type: SYNC_REQUEST })).toEqual({ ok: false, error: 'Error: offline again' });
  });

  it('leaves the worker’s other messages alone', async () => {
    const sw = worker();
    const handler = vi.fn(async () => {});
    onSyncRequest(handler);
    sw.post({ type: 'something-else' });
    expect(await sw.ask({ type: SYNC_REQUEST })).toEqual({ ok: true });
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe('asking for Background Sync', () => {
  it('registers the queue’s tag where the browser has it', async () => {
    const register = vi.fn(async (_tag: string) => {});
    worker({ sync: { register } });
    await requestBackgroundSync();
    expect(register).toHaveBeenCalledWith(SYNC_TAG);
  });

  it('does nothing, without failing, where the browser has no Background Sync or no worker', async () => {
    worker({});
    await expect(requestBackgroundSync()).resolves.toBeUndefined();
    worker(undefined);
    await expect(requestBackgroundSync()).resolves.toBeUndefined();
    vi.stubGlobal('navigator', {});
    await expect(requestBackgroundSync()).resolves.toBeUndefined();
  });
});
