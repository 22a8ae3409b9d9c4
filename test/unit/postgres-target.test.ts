import { describe, expect, it } from 'vitest';
import { postgresTarget } from '../../src/db/client.ts';

describe("postgresTarget: libpq's host parameter for postgres.js", () => {
  it('moves a socket directory out of the URL into the host option', () => {
    expect(postgresTarget('postgres://app:s%40cret@localhost:5433/recomp?host=/var/run/postgresql&sslmode=disable')).toEqual({
      url: 'postgres://app:s%40cret@localhost:5433/recomp?sslmode=disable',
      options: { host: '/var/run/postgresql' },
    });
    expect(postgresTarget('postgresql://app@localhost/recomp?host=%2Ftmp%2Fpg')).toEqual({
      url: 'postgresql://app@localhost/recomp',
      options: { host: '/tmp/pg' },
    });
  });

  it('leaves a URL without it as it is', () => {
    const url = 'postgres://app@127.0.0.1:5432/recomp?prepare=false';
    expect(postgresTarget(url)).toEqual({ url, options: {} });
    expect(postgresTarget('postgres://app@db/recomp?host=')).toEqual({ url: 'postgres://app@db/recomp?host=', options: {} });
  });
});
