/**
 * What every browser test file shares: the service and Chromium (browser.ts) started before its
 * tests and stopped after them, calls straight to the API, people registered through it, and the
 * Sign in screen filled in.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type E2E, openPage, type PageOptions, startE2E } from './browser.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Call {
  token?: string | undefined;
  body?: unknown;
}

/** A person as POST /users takes them; the rest of the profile defaults to a 180 cm man measured with the Navy tape. */
type Registration = { email: string; password: string; full_name: string } & Record<string, unknown>;

/** An address no other person of the run has: `name.<time>.<random>@example.com`. */
export const uniqueEmail = (name: string) => `${name}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@example.com`;

/**
 * Registers the file's hooks: the service and Chromium start before its tests and stop after them.
 * `sso`: the service offers single sign-on at a local provider (`suite.provider`). `env` is read
 * when they start (in beforeAll), so a setting made in an earlier beforeAll counts.
 */
export function browserTests(options: { sso?: boolean; env?: () => Record<string, string> } = {}) {
  let e2e: E2E | undefined;
  beforeAll(async () => {
    e2e = await startE2E({ ...(options.sso ? { sso: true } : {}), ...(options.env ? { env: options.env() } : {}) });
  });
  afterAll(async () => {
    await e2e?.close();
  });
  const started = (): E2E => {
    if (e2e === undefined) throw new Error('the service is started in beforeAll: use it from a hook or a test');
    return e2e;
  };

  /** A call straight to the service (not through a page): its status and its JSON body (null when it has none). */
  async function request<T = any>(method: Method, path: string, call: Call = {}): Promise<{ status: number; body: T }> {
    const response = await fetch(`${started().baseUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
      },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  }

  /** A call that must succeed: its JSON body. */
  async function api<T = any>(method: Method, path: string, call: Call = {}): Promise<T> {
    const answer = await request<T>(method, path, call);
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
    return answer.body;
  }

  return {
    get baseUrl() {
      return started().baseUrl;
    },
    /** The provider of single sign-on, for `browserTests({ sso: true })`. */
    get provider() {
      const { provider } = started();
      if (provider === null) throw new Error('this file runs without single sign-on: browserTests({ sso: true })');
      return provider;
    },
    request,
    api,
    /** A new browser context (a person or a device of their own) and a page in it (browser.ts). */
    openPage: (options: PageOptions = {}) => openPage(started(), options),
    /** Registers a person through the API and signs them in there: their tokens. */
    async register(person: Registration): Promise<{ access: string; refresh: string }> {
      await api('POST', '/users', {
        body: {
          date_of_birth: '1990-04-12',
          gender: 'male',
          height_cm: 180,
          preferred_calculation_method: 'navy',
          activity_level: 'moderately_active',
          ...person,
        },
      });
      const tokens = await api<{ access_token: string; refresh_token: string }>('POST', '/auth/login', {
        body: { email: person.email, password: person.password },
      });
      return { access: tokens.access_token, refresh: tokens.refresh_token };
    },
  };
}

/** Fills in the Sign in screen the page shows and sends it. */
export async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}
