/**
 * The Dockerfile, docker-compose.yml and deploy/kubernetes/ against the repository (test/deploy/checks.ts):
 * the real files pass, and each kind of mistake in a broken copy is caught.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDeployment, configVariables } from './checks.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** A copy of `file` with `from` replaced by `to`; fails when `from` is not there (the mutation would test nothing). */
function broken(file: string, from: string | RegExp, to: string): Record<string, string> {
  const text = read(file);
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${file}: "${String(from)}" not found, the broken copy would equal the original`);
  return { [file]: changed };
}

describe('deployable images', () => {
  it('use only scripts, files, ports, paths and settings that exist, as non-root, pinned, with health checks and no secrets', () => {
    expect(checkDeployment(root)).toEqual([]);
  });

  it('reads the settings from src/config.ts, those of docs/DEPLOY.md "Many instances" included', () => {
    const variables = configVariables(read('src/config.ts'));
    for (const name of [
      'DATABASE_URL',
      'PORT',
      'JWT_SECRET',
      'RATE_LIMIT_MAX',
      'DATABASE_POOL_MODE',
      'DATABASE_MIGRATION_URL',
      'MIGRATE_ON_START',
      'DATABASE_REPLICA_URLS',
      'REDIS_URL',
      'METRICS_PORT',
    ]) {
      expect(variables).toContain(name);
    }
    expect(variables).not.toContain('UV_THREADPOOL_SIZE');
  });

  const cases: [string, Record<string, string>, string][] = [
    ['the runtime stage runs as root', broken('Dockerfile', /^USER node$/m, 'USER root'), 'runs as root'],
    ['the health check asks another path', broken('Dockerfile', "'/health/ready'", "'/healthz'"), 'HEALTHCHECK does not ask /health/ready'],
    [
      'the health check uses curl, which the slim image lacks',
      broken('Dockerfile', /CMD \["node", "-e", "fetch[^\n]*/, 'CMD curl -fsS http://127.0.0.1:8000/health/ready'),
      'uses curl/wget',
    ],
    ['a base image is not pinned', broken('Dockerfile', /^ARG NODE_IMAGE=.*$/m, 'ARG NODE_IMAGE=node:latest'), 'is not pinned'],
    [
      'a secret is baked into the image',
      broken('Dockerfile', 'PORT=8000 \\', 'PORT=8000 \\\n    JWT_SECRET=0123456789abcdef0123456789abcdef \\'),
      'JWT_SECRET has a literal value',
    ],
    [
      'a copied file does not exist',
      broken('Dockerfile', 'COPY drizzle ./drizzle', 'COPY migrations ./drizzle'),
      'COPY migrations: no such file',
    ],
    ['the migrations are not in the image', broken('Dockerfile', /^COPY drizzle .*\n/m, ''), 'does not copy the migrations'],
    [
      'the command is not the start script',
      broken(
        'Dockerfile',
        'CMD ["env", "MALLOC_MMAP_THRESHOLD_=65536", "node", "--max-old-space-size=1024", "--max-semi-space-size=4", "--liftoff-only", "dist/src/server.js"]',
        'CMD ["env", "MALLOC_MMAP_THRESHOLD_=65536", "node", "--max-old-space-size=1024", "--max-semi-space-size=4", "--liftoff-only", "src/main.js"]',
      ),
      "is not package.json's start command",
    ],
    [
      "the command drops the start script's node flags",
      broken(
        'Dockerfile',
        'CMD ["env", "MALLOC_MMAP_THRESHOLD_=65536", "node", "--max-old-space-size=1024", "--max-semi-space-size=4", "--liftoff-only", "dist/src/server.js"]',
        'CMD ["node", "dist/src/server.js"]',
      ),
      "is not package.json's start command",
    ],
    [
      'the builder installs without building',
      broken('Dockerfile', /npm ci --no-audit --no-fund$/m, 'npm ci --ignore-scripts --no-audit --no-fund'),
      'no build stage builds',
    ],
    [
      'the build script is not sent to the builder',
      broken('.dockerignore', /^!scripts\/build-server\.cjs\n/m, ''),
      '"npm run build:server" needs scripts/build-server.cjs, which .dockerignore excludes',
    ],
    [
      'the runtime stage does not copy the build',
      broken('Dockerfile', /^COPY --from=builder \/app\/dist .*\n/m, ''),
      'does not copy the entry point dist/src/server.js',
    ],
    [
      'the runtime stage copies the sources',
      broken('Dockerfile', 'COPY drizzle ./drizzle', 'COPY drizzle ./drizzle\nCOPY src ./src'),
      'copies TypeScript sources (src)',
    ],
    [
      'the runtime stage copies all of the builder',
      broken('Dockerfile', 'COPY --from=builder /app/dist ./dist', 'COPY --from=builder /app ./'),
      'copies TypeScript sources (.)',
    ],
    [
      'the runtime installs the development dependencies',
      broken('Dockerfile', 'npm ci --omit=dev --ignore-scripts', 'npm ci --ignore-scripts'),
      'an install without --omit=dev',
    ],
    [
      'the production install leaves patches/ unapplied',
      broken('Dockerfile', ' && npm run postinstall', ''),
      'skips "postinstall" (--ignore-scripts) and does not run it',
    ],
    [
      'tsx is a production dependency',
      broken('package.json', '"proper-lockfile": "4.1.2",', '"proper-lockfile": "4.1.2",\n    "tsx": "4.23.15",'),
      'tsx is a production dependency',
    ],
    [
      'the migrations run the sources through tsx',
      broken('package.json', '"db:migrate": "node dist/src/migrate.js"', '"db:migrate": "node --import tsx src/migrate.ts"'),
      '"db:migrate" runs tsx',
    ],
    ['.dockerignore lets .env in', broken('.dockerignore', /^\.env$/m, ''), 'does not exclude .env'],
    [
      'compose runs a script that does not exist',
      broken('docker-compose.yml', '"db:migrate"', '"db:migrations"'),
      'no "db:migrations" script',
    ],
    [
      'compose sets a variable nothing reads',
      broken('docker-compose.yml', '  LOG_LEVEL:', '  LOGLEVEL: info\n  LOG_LEVEL:'),
      'sets LOGLEVEL, which src/config.ts does not read',
    ],
    [
      'compose writes a secret into the file',
      broken('docker-compose.yml', /JWT_SECRET: \$\{JWT_SECRET[^\n]*/, 'JWT_SECRET: 0123456789abcdef0123456789abcdef'),
      'JWT_SECRET has a literal value',
    ],
    [
      'compose publishes the wrong port',
      broken('docker-compose.yml', '"127.0.0.1:8000:8000"', '"127.0.0.1:8000:8080"'),
      'publishes 127.0.0.1:8000:8080',
    ],
    [
      'compose pins no image version',
      broken('docker-compose.yml', 'image: postgres:15.10-bookworm', 'image: postgres'),
      'image "postgres" is not pinned',
    ],
    [
      'a readiness probe asks another path',
      broken('deploy/kubernetes/deployment.yaml', 'path: /health/ready', 'path: /ready'),
      'readinessProbe asks /ready, not /health/ready',
    ],
    [
      'a liveness probe asks another port',
      broken(
        'deploy/kubernetes/deployment.yaml',
        'httpGet: { path: /health, port: http }\n            periodSeconds: 10',
        'httpGet: { path: /health, port: 8080 }\n            periodSeconds: 10',
      ),
      'livenessProbe asks port 8080',
    ],
    ['the pod may run as root', broken('deploy/kubernetes/deployment.yaml', 'runAsNonRoot: true', 'runAsNonRoot: false'), 'runAsNonRoot'],
    [
      'a container has no resource limits',
      broken('deploy/kubernetes/deployment.yaml', /limits: \{ cpu: "2", memory: 512Mi \}\n/, ''),
      'no resource requests and limits',
    ],
    [
      'the example Secret holds a real secret',
      broken('deploy/kubernetes/secret.example.yaml', 'JWT_SECRET: REPLACE_ME', 'JWT_SECRET: 0123456789abcdef0123456789abcdef'),
      'JWT_SECRET has a literal value',
    ],
    [
      'the ConfigMap sets a variable nothing reads',
      broken('deploy/kubernetes/configmap.yaml', 'LOG_LEVEL: info', 'LOG_LEVEL: info\n  DATABASE_POOL: "10"'),
      'sets DATABASE_POOL, which src/config.ts does not read',
    ],
    [
      'the Service targets a port no container has',
      broken('deploy/kubernetes/service.yaml', 'targetPort: http', 'targetPort: web'),
      'targetPort web is no container port',
    ],
    [
      'the service no longer reads a variable the images set',
      broken('src/config.ts', "'LOG_LEVEL'", "'LOGGING_LEVEL'"),
      'sets LOG_LEVEL, which src/config.ts does not read',
    ],
    ['package.json loses the migration script', broken('package.json', /"db:migrate":/, '"db:migrate-old":'), 'no "db:migrate" script'],
  ];

  it.each(cases)('fail on a broken copy: %s', (_name, overrides, expected) => {
    const problems = checkDeployment(root, overrides);
    expect(problems.join('\n')).toContain(expected);
    expect(checkDeployment(root).join('\n')).not.toContain(expected);
  });
});
