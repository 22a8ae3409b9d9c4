/** A small client over `app.inject` that speaks the wire format, for the HTTP flow tests. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { App } from '../../src/http/app.ts';

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export class Api {
  constructor(
    readonly app: App,
    readonly token?: string,
  ) {}

  withToken(token: string) {
    return new Api(this.app, token);
  }

  async request<T = any>(method: Method, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response<T>> {
    const response = await this.app.inject({
      method,
      url,
      headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    const text = response.body;
    return { status: response.statusCode, body: text === '' ? null : JSON.parse(text), headers: response.headers };
  }

  get<T = any>(url: string) {
    return this.request<T>('GET', url);
  }
  post<T = any>(url: string, body?: unknown) {
    return this.request<T>('POST', url, body ?? {});
  }
  patch<T = any>(url: string, body?: unknown) {
    return this.request<T>('PATCH', url, body ?? {});
  }
  put<T = any>(url: string, body?: unknown) {
    return this.request<T>('PUT', url, body ?? {});
  }
  delete<T = any>(url: string) {
    return this.request<T>('DELETE', url);
  }
}

export const uniqueEmail = (tag = 'user') => `${tag}-${randomUUID()}@example.com`;

export const PASSWORD = 'TestPassword123!';

export function profile(overrides: Record<string, unknown> = {}) {
  return {
    email: uniqueEmail(),
    password: PASSWORD,
    full_name: 'Test Person',
    date_of_birth: '1990-05-15',
    gender: 'male',
    height_cm: 175,
    preferred_calculation_method: 'navy',
    activity_level: 'moderately_active',
    ...overrides,
  };
}

export interface Session {
  api: Api;
  user: any;
  tokens: { access_token: string; refresh_token: string };
}

/** Registers a user and signs in; the returned Api carries the access token. */
export async function signUp(app: App, overrides: Record<string, unknown> = {}): Promise<Session> {
  const anonymous = new Api(app);
  const body = profile(overrides);
  const registered = await anonymous.post('/api/v1/users', body);
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const login = await anonymous.post('/api/v1/auth/login', { email: body.email, password: body.password });
  expect(login.status).toBe(200);
  return { api: anonymous.withToken(login.body.access_token), user: registered.body, tokens: login.body };
}

/** ISO timestamp `days` from `from` (default now), naive UTC like the k6 journey sends. */
export function daysFrom(days: number, from = new Date()): string {
  return new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 19);
}

export function expectProblem(response: Response, status: number) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: expect.any(String),
  });
}
