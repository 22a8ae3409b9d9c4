/**
 * Lints the deployable images against the repository, since no container engine (and no hadolint)
 * runs here: the Dockerfile (dockerfile-ast), docker-compose.yml and deploy/kubernetes/*.yaml (yaml)
 * may only use npm scripts, files, ports, health paths and environment variables that exist, and
 * follow the practices docs/DEPLOY.md promises (non-root, pinned images, health checks, no secrets).
 *
 * `checkDeployment(root, overrides)` returns the problems found, one sentence each; `overrides`
 * replaces the text of some files (a broken copy) without touching the repository.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

export type Overrides = Record<string, string>;

/** Variables the service does not read but its runtime does (Node, npm), allowed in the images' environments. */
const RUNTIME_VARIABLES = new Set(['NODE_ENV', 'UV_THREADPOOL_SIZE', 'NODE_OPTIONS', 'npm_config_cache']);
/** Keys whose value must never be written into an image or a manifest. */
const SECRET_NAME = /SECRET|PASSWORD|TOKEN|PRIVATE_KEY|^DATABASE_(MIGRATION_|REPLICA_)?URLS?$|^REDIS_URL$/;
const PLACEHOLDER = /^(REPLACE_ME|CHANGE_ME)$/;
const HEALTH_PATHS = { liveness: '/health', readiness: '/health/ready' } as const;

interface Repo {
  root: string;
  read(file: string): string | null;
  exists(file: string): boolean;
}

function repo(root: string, overrides: Overrides): Repo {
  return {
    root,
    read: (file) => {
      if (file in overrides) return overrides[file] ?? null;
      const full = path.join(root, file);
      return existsSync(full) ? readFileSync(full, 'utf8') : null;
    },
    exists: (file) => file in overrides || existsSync(path.join(root, file)),
  };
}

/** The environment variables src/config.ts reads (`env, 'NAME'`, `env.NAME`, `env['NAME']`). */
export function configVariables(source: string): Set<string> {
  const names = new Set<string>();
  for (const match of source.matchAll(/\benv(?:\s*,\s*|\.|\[\s*)['"]?([A-Z][A-Z0-9_]+)/g)) names.add(match[1]!);
  return names;
}

/** The routes the service declares, as `METHOD path`. */
function declaredRoutes(r: Repo): Set<string> {
  const routes = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(r.root, dir), { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts')) {
        for (const match of (r.read(file) ?? '').matchAll(/app\.(get|post|put|patch|delete)\(\s*'([^']+)'/g))
          routes.add(`${match[1]!.toUpperCase()} ${match[2]!}`);
      }
    }
  };
  walk('src');
  return routes;
}

interface Context {
  r: Repo;
  scripts: Record<string, string>;
  /** package.json "dependencies": what the production install (`--omit=dev`) installs. */
  dependencies: Record<string, string>;
  variables: Set<string>;
  routes: Set<string>;
  defaultPort: number;
  problems: string[];
}

/** `npm run NAME` / `npm start` anywhere in a command: the script must exist. */
function checkNpmCommands(ctx: Context, where: string, command: string): string[] {
  const used: string[] = [];
  for (const match of command.matchAll(/\bnpm\s+(?:run(?:-script)?\s+([\w:.-]+)|(start|test))\b/g)) {
    const name = match[1] ?? match[2]!;
    used.push(name);
    if (!(name in ctx.scripts)) ctx.problems.push(`${where}: runs "npm run ${name}", but package.json has no "${name}" script`);
  }
  return used;
}

/** Files an npm script's command names: of the repository (scripts/build-server.cjs), or of its build (dist/src/migrate.js). */
function filesOfScript(ctx: Context, name: string): string[] {
  const command = ctx.scripts[name] ?? '';
  return command
    .split(/\s+/)
    .filter((token) => /^[\w.-]+\/[\w./-]+\.(ts|js|mjs|cjs|json)$/.test(token) && (ctx.r.exists(token) || token.startsWith('dist/')));
}

/** The script, its pre-script and every script they run with `npm run` (as a command, not inside a message), in turn. */
function scriptsRunBy(ctx: Context, name: string, seen = new Set<string>()): Set<string> {
  for (const script of [`pre${name}`, name]) {
    if (seen.has(script) || !(script in ctx.scripts)) continue;
    seen.add(script);
    for (const match of (ctx.scripts[script] ?? '').matchAll(/(?:^|&&|\|\||;)\s*npm\s+run(?:-script)?\s+(?:--[\w-]+\s+)*([\w:.-]+)/g))
      scriptsRunBy(ctx, match[1]!, seen);
  }
  return seen;
}

/** An `npm ci` / `npm install` of every dependency in a RUN command, with its lifecycle scripts, or null. */
function npmInstall(command: string): { omitsDev: boolean; ignoresScripts: boolean } | null {
  const install = /\bnpm\s+(?:ci|install|i)\b[^&;|]*/.exec(command)?.[0];
  if (install === undefined) return null;
  return { omitsDev: /--omit[= ]dev\b|--production\b/.test(install), ignoresScripts: /--ignore-scripts\b/.test(install) };
}

function checkEnvironment(ctx: Context, where: string, env: Record<string, unknown>) {
  for (const [name, value] of Object.entries(env)) {
    if (!ctx.variables.has(name) && !RUNTIME_VARIABLES.has(name)) {
      ctx.problems.push(`${where}: sets ${name}, which src/config.ts does not read`);
    }
    const text = value === null || value === undefined ? '' : String(value);
    if (SECRET_NAME.test(name) && text !== '' && !PLACEHOLDER.test(text)) {
      // Compose: only from the environment, e.g. ${JWT_SECRET:?...}, or a URL whose password is such a variable.
      const fromEnvironment = /^\$\{[A-Z_]+(:?\?[^}]*)?\}$/.test(text) || /^\$\{[A-Z_]+:-\}$/.test(text);
      const urlPassword = /^[a-z]+:\/\/[^:/@]+:([^@]*)@/.exec(text)?.[1];
      const safeUrl = urlPassword !== undefined && /^\$\{[A-Z_]+(:?\?[^}]*)?\}$/.test(urlPassword);
      const urlWithoutPassword = /^[a-z]+:\/\/[^@]*$/.test(text) && !/^[a-z]+:\/\/[^/]*:[^/@]*@/.test(text);
      if (!fromEnvironment && !safeUrl && !urlWithoutPassword)
        ctx.problems.push(`${where}: ${name} has a literal value; secrets must come from the environment or a Secret`);
    }
  }
}

function pinnedImage(image: string): boolean {
  if (image.includes('@sha256:')) return true;
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  return tag !== undefined && tag !== 'latest' && /\d+\.\d+/.test(tag);
}

// ---- Dockerfile --------------------------------------------------------------------------------

/** What the runtime stage copies (destination folders relative to its WORKDIR), for the files check. */
function checkDockerfile(ctx: Context): void {
  const text = ctx.r.read('Dockerfile');
  if (text === null) {
    ctx.problems.push('Dockerfile: missing');
    return;
  }
  const dockerfile = DockerfileParser.parse(text);
  const ignore = (ctx.r.read('.dockerignore') ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const needed of ['**/node_modules', '.git', '.env', 'data']) {
    if (!ignore.includes(needed)) ctx.problems.push(`.dockerignore: does not exclude ${needed}`);
  }
  const matches = (pattern: string, file: string) =>
    file === pattern || file.startsWith(`${pattern}/`) || (pattern === '**/node_modules' && file.split('/').includes('node_modules'));
  // As Docker reads it: the last pattern that matches decides, and a `!` pattern lets a file back in.
  const ignored = (file: string) =>
    ignore.reduce((excluded, pattern) => {
      const negated = pattern.startsWith('!');
      return matches(negated ? pattern.slice(1) : pattern, file) ? !negated : excluded;
    }, false);

  const args = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) args.set(property.getName(), property.getValue() ?? '');
  }
  const stages: { name: string | null; image: string; instructions: Instruction[] }[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const [imageArg, as, name] = (instruction.getArgumentsContent() ?? '').split(/\s+/);
      const image = (imageArg ?? '').replace(/\$\{?(\w+)\}?/g, (_m, variable: string) => args.get(variable) ?? `$${variable}`);
      stages.push({ name: as?.toUpperCase() === 'AS' ? (name ?? null) : null, image, instructions: [] });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  if (stages.length < 2) ctx.problems.push('Dockerfile: not multi-stage (one FROM)');
  const stageNames = new Set(stages.map((s) => s.name).filter(Boolean));
  for (const stage of stages) {
    if (!stageNames.has(stage.image) && !pinnedImage(stage.image))
      ctx.problems.push(`Dockerfile: base image "${stage.image}" is not pinned to a version tag or digest`);
  }
  const runtime = stages.at(-1);
  if (!runtime) return;
  const of = (keyword: string) => runtime.instructions.filter((i) => i.getKeyword() === keyword);

  // Every RUN anywhere: npm scripts exist.
  for (const stage of stages) {
    for (const run of stage.instructions.filter((i) => i.getKeyword() === 'RUN'))
      checkNpmCommands(ctx, 'Dockerfile RUN', run.getArgumentsContent() ?? '');
  }
  const runs = (stage: (typeof stages)[number]) =>
    stage.instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => i.getArgumentsContent() ?? '');
  // A build stage builds (`npm ci` runs "prepare", or `npm run build`), so the runtime never does.
  const building = (command: string) => {
    const install = npmInstall(command);
    return (
      /\bnpm run build\b/.test(command) ||
      (install !== null && !install.ignoresScripts && !install.omitsDev && scriptsRunBy(ctx, 'prepare').has('build'))
    );
  };
  if ('build' in ctx.scripts && !stages.slice(0, -1).some((s) => runs(s).some(building))) {
    ctx.problems.push('Dockerfile: no build stage builds (an `npm ci` that runs package.json "prepare", or `npm run build`)');
  }
  // What the build runs must reach the builder (`COPY . .`).
  for (const script of scriptsRunBy(ctx, 'build')) {
    for (const file of filesOfScript(ctx, script))
      if (ignored(file)) ctx.problems.push(`Dockerfile: "npm run ${script}" needs ${file}, which .dockerignore excludes`);
  }

  // Non-root user, set before the command.
  const users = of('USER');
  const user = users.at(-1)?.getArgumentsContent()?.trim() ?? '';
  if (!user || /^(root|0)(:|$)/.test(user)) ctx.problems.push('Dockerfile: the runtime stage runs as root (no USER, or USER root)');

  // Secrets are never baked in.
  for (const stage of stages) {
    for (const instruction of stage.instructions.filter((i) => i.getKeyword() === 'ENV' || i.getKeyword() === 'ARG')) {
      const properties = (
        instruction as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }
      ).getProperties();
      const env = Object.fromEntries(properties.map((p) => [p.getName(), p.getValue() ?? '']));
      if (instruction.getKeyword() === 'ENV' && stage === runtime) checkEnvironment(ctx, 'Dockerfile ENV', env);
      else {
        for (const [name, value] of Object.entries(env)) {
          if (SECRET_NAME.test(name) && value !== '')
            ctx.problems.push(
              `Dockerfile ${instruction.getKeyword()}: ${name} has a literal value; secrets must come from the environment`,
            );
        }
      }
    }
  }

  // The port: EXPOSE, ENV PORT and the service's default agree.
  const envPort = of('ENV')
    .flatMap((i) => (i as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties())
    .find((p) => p.getName() === 'PORT')
    ?.getValue();
  const port = Number(envPort ?? ctx.defaultPort);
  const exposed = of('EXPOSE')
    .flatMap((i) => (i.getArgumentsContent() ?? '').split(/\s+/))
    .map((p) => Number(p.split('/')[0]));
  if (!exposed.includes(port))
    ctx.problems.push(`Dockerfile: EXPOSE ${exposed.join(' ') || '(none)'} does not include the service's port ${port}`);

  // HEALTHCHECK on the readiness path, with a tool the image has (no curl/wget in node:*-slim).
  const health = of('HEALTHCHECK').at(-1)?.getArgumentsContent() ?? '';
  if (!health) ctx.problems.push('Dockerfile: the runtime stage has no HEALTHCHECK');
  else {
    if (!health.includes(`${HEALTH_PATHS.readiness}'`) && !health.includes(`${HEALTH_PATHS.readiness}"`))
      ctx.problems.push(`Dockerfile: the HEALTHCHECK does not ask ${HEALTH_PATHS.readiness}`);
    if (
      /\b(curl|wget)\b/.test(health) &&
      !/\b(curl|wget)\b/.test(
        runtime.instructions
          .filter((i) => i.getKeyword() === 'RUN')
          .map((i) => i.getArgumentsContent())
          .join(' '),
      )
    ) {
      ctx.problems.push('Dockerfile: the HEALTHCHECK uses curl/wget, which the runtime image does not install');
    }
    if (!ctx.routes.has(`GET ${HEALTH_PATHS.readiness}`)) ctx.problems.push(`the service declares no GET ${HEALTH_PATHS.readiness}`);
  }

  // CMD: package.json's start command, without npm (signals).
  const cmd = of('CMD').at(-1) as unknown as { getJSONStrings?(): { getJSONValue(): string }[] } | undefined;
  const cmdWords = cmd?.getJSONStrings?.().map((s) => s.getJSONValue()) ?? [];
  const startWords = (ctx.scripts.start ?? '')
    .replace(/^exec\s+/, '')
    .split(/\s+/)
    .filter(Boolean);
  if (cmdWords.length === 0) ctx.problems.push('Dockerfile: the runtime stage has no CMD in exec (JSON) form');
  else if (cmdWords.join(' ') !== startWords.join(' '))
    ctx.problems.push(`Dockerfile: CMD "${cmdWords.join(' ')}" is not package.json's start command "${startWords.join(' ')}"`);

  // COPY: sources exist and are not excluded by .dockerignore; --from names a stage.
  const copied: string[] = [];
  for (const stage of stages) {
    for (const copy of stage.instructions.filter((i) => i.getKeyword() === 'COPY')) {
      const from =
        (copy as Copy)
          .getFlags()
          .find((f) => f.getName() === 'from')
          ?.getValue() ?? undefined;
      const paths = (copy.getArgumentsContent() ?? '').split(/\s+/).filter((w) => w && !w.startsWith('--'));
      const sources = paths.slice(0, -1);
      if (from !== undefined) {
        if (!stageNames.has(from)) ctx.problems.push(`Dockerfile: COPY --from=${from} names no stage`);
        if (stage === runtime) copied.push(...sources.map((s) => s.replace(/^\/app\/?$/, '.').replace(/^\/app\//, '')));
        continue;
      }
      for (const source of sources) {
        if (source === '.') {
          if (stage === runtime) copied.push('.');
          continue;
        }
        if (!ctx.r.exists(source)) ctx.problems.push(`Dockerfile: COPY ${source}: no such file in the repository`);
        else if (ignored(source)) ctx.problems.push(`Dockerfile: COPY ${source}: excluded by .dockerignore`);
        if (stage === runtime) copied.push(source);
      }
    }
  }
  const inImage = (file: string) => copied.some((c) => c === '.' || file === c || file.startsWith(`${c.replace(/\/$/, '')}/`));
  // The runtime runs the build: no TypeScript sources, and no development dependencies (tsx,
  // TypeScript, Vite) in its node_modules, wherever they are installed.
  const sources = copied.filter((c) => c === '.' || /^(web\/)?src(\/|$)/.test(c) || c.endsWith('.ts'));
  if (sources.length > 0)
    ctx.problems.push(`Dockerfile: the runtime stage copies TypeScript sources (${sources.join(', ')}); it runs the build in dist/`);
  const modulesFrom = runtime.instructions
    .filter((i) => i.getKeyword() === 'COPY' && /(^|\s)\/app\/node_modules\b/.test(i.getArgumentsContent() ?? ''))
    .map((i) =>
      (i as Copy)
        .getFlags()
        .find((f) => f.getName() === 'from')
        ?.getValue(),
    );
  for (const stage of [runtime, ...stages.filter((s) => s.name !== null && modulesFrom.includes(s.name))]) {
    for (const command of runs(stage)) {
      const install = npmInstall(command);
      if (install && !install.omitsDev)
        ctx.problems.push(
          `Dockerfile: the runtime's node_modules come from an install without --omit=dev (development dependencies such as tsx): ${command}`,
        );
      // --ignore-scripts also skips "postinstall", which applies patches/ to the dependencies.
      if (
        install?.ignoresScripts &&
        ctx.scripts.postinstall &&
        !command.includes('npm run postinstall') &&
        !command.includes(ctx.scripts.postinstall)
      ) {
        ctx.problems.push(
          `Dockerfile: the production install skips "postinstall" (--ignore-scripts) and does not run it: ${ctx.scripts.postinstall}`,
        );
      }
    }
  }
  if (runs(runtime).some((command) => /\btsx\b/.test(command))) ctx.problems.push('Dockerfile: the runtime stage runs tsx');
  const entry = startWords.find((w) => /\.(ts|js|mjs|cjs)$/.test(w));
  if (entry && !inImage(entry)) ctx.problems.push(`Dockerfile: the runtime stage does not copy the entry point ${entry}`);
  if (!inImage('drizzle/meta/_journal.json')) ctx.problems.push('Dockerfile: the runtime stage does not copy the migrations (drizzle/)');
  // The npm scripts the deployments run inside the image (db:migrate): their files are there, and
  // they need no tsx, a development dependency.
  for (const name of scriptsRunBy(ctx, 'db:migrate')) {
    for (const file of filesOfScript(ctx, name)) {
      if (!inImage(file)) ctx.problems.push(`Dockerfile: "npm run ${name}" needs ${file}, which the runtime stage does not copy`);
      // dist/ is made in the builder, not sent to it.
      if (!file.startsWith('dist/') && ignored(file))
        ctx.problems.push(`Dockerfile: "npm run ${name}" needs ${file}, which .dockerignore excludes`);
    }
    if (/\btsx\b/.test(ctx.scripts[name] ?? ''))
      ctx.problems.push(`package.json: "${name}" runs tsx, which the runtime image does not have (a development dependency)`);
  }
  for (const tool of ['tsx', 'typescript', 'vite']) {
    if (tool in ctx.dependencies) ctx.problems.push(`package.json: ${tool} is a production dependency, so the runtime image installs it`);
  }
}

// ---- docker-compose.yml ------------------------------------------------------------------------

function checkCompose(ctx: Context): void {
  const text = ctx.r.read('docker-compose.yml');
  if (text === null) {
    ctx.problems.push('docker-compose.yml: missing');
    return;
  }
  const compose = parseYaml(text, { merge: true }) as { services?: Record<string, Record<string, unknown>> };
  const services = compose.services ?? {};
  const built = Object.entries(services).filter(([, s]) => s.build !== undefined);
  if (!built.some(([name]) => name === 'recomp')) ctx.problems.push('docker-compose.yml: no "recomp" service built from the Dockerfile');
  if (!('postgres' in services)) ctx.problems.push('docker-compose.yml: no "postgres" service');
  for (const profile of ['pgbouncer', 'redis']) {
    if (!Object.values(services).some((s) => Array.isArray(s.profiles) && s.profiles.includes(profile)))
      ctx.problems.push(`docker-compose.yml: no service in the "${profile}" profile`);
  }
  let migrates = false;
  for (const [name, service] of Object.entries(services)) {
    const where = `docker-compose.yml ${name}`;
    const build = service.build;
    if (build !== undefined) {
      const context = typeof build === 'string' ? build : String((build as { context?: string }).context ?? '.');
      const dockerfile =
        typeof build === 'object' && build !== null ? String((build as { dockerfile?: string }).dockerfile ?? 'Dockerfile') : 'Dockerfile';
      if (!ctx.r.exists(path.join(context, dockerfile)))
        ctx.problems.push(`${where}: builds ${path.join(context, dockerfile)}, which does not exist`);
    } else if (typeof service.image !== 'string' || !pinnedImage(service.image)) {
      ctx.problems.push(`${where}: image "${String(service.image)}" is not pinned to a version tag`);
    }
    const command = Array.isArray(service.command) ? service.command.join(' ') : String(service.command ?? '');
    if (build !== undefined && checkNpmCommands(ctx, where, command).includes('db:migrate')) migrates = true;
    const env = (service.environment ?? {}) as Record<string, unknown>;
    if (build !== undefined) {
      checkEnvironment(ctx, where, env);
      const port = Number(env.PORT ?? ctx.defaultPort);
      for (const mapping of (service.ports ?? []) as string[]) {
        if (Number(String(mapping).split(':').at(-1)) !== port)
          ctx.problems.push(`${where}: publishes ${mapping}, but the service listens on ${port}`);
      }
      const health = JSON.stringify((service.healthcheck as { test?: unknown } | undefined)?.test ?? '');
      if (health !== '""' && !health.includes(`:${port}${HEALTH_PATHS.readiness}'`))
        ctx.problems.push(`${where}: the healthcheck does not ask ${HEALTH_PATHS.readiness} on port ${port}`);
    } else {
      for (const [key, value] of Object.entries(env)) {
        if (SECRET_NAME.test(key)) checkEnvironment({ ...ctx, variables: new Set([key]) }, where, { [key]: value });
      }
    }
  }
  if (!migrates) ctx.problems.push('docker-compose.yml: no service runs "npm run db:migrate"');
  const recomp = services.recomp;
  const dependsOn = (recomp?.depends_on ?? {}) as Record<string, { condition?: string }>;
  if (recomp && !Object.values(dependsOn).some((d) => d.condition === 'service_completed_successfully')) {
    ctx.problems.push('docker-compose.yml recomp: does not wait for the migration step to complete');
  }
}

// ---- Kubernetes --------------------------------------------------------------------------------

interface Manifest {
  kind?: string;
  metadata?: { name?: string };
  data?: Record<string, unknown>;
  stringData?: Record<string, unknown>;
  spec?: Record<string, any>;
}

function checkKubernetes(ctx: Context): void {
  const dir = 'deploy/kubernetes';
  if (!ctx.r.exists(dir)) {
    ctx.problems.push(`${dir}: missing`);
    return;
  }
  const files = readdirSync(path.join(ctx.r.root, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`);
  const manifests: Manifest[] = [];
  for (const file of files) {
    for (const document of parseAllDocuments(ctx.r.read(file) ?? '')) {
      if (document.errors.length > 0) ctx.problems.push(`${file}: ${document.errors[0]!.message}`);
      const value = document.toJS() as Manifest | null;
      if (value) manifests.push(value);
    }
  }
  const named = (kind: string) => new Map(manifests.filter((m) => m.kind === kind).map((m) => [m.metadata?.name ?? '', m]));
  const configMaps = named('ConfigMap');
  const secrets = named('Secret');
  for (const [name, map] of configMaps) checkEnvironment(ctx, `ConfigMap ${name}`, map.data ?? {});
  for (const [name, secret] of secrets) {
    checkEnvironment(ctx, `Secret ${name}`, { ...secret.data, ...secret.stringData });
    if (secret.data !== undefined) ctx.problems.push(`Secret ${name}: has base64 data; the example must hold placeholders only`);
  }
  const deployments = manifests.filter((m) => m.kind === 'Deployment');
  if (deployments.length === 0) ctx.problems.push(`${dir}: no Deployment`);
  let migrates = manifests.some((m) => m.kind === 'Job' && JSON.stringify(m.spec).includes('db:migrate'));
  for (const deployment of deployments) {
    const where = `Deployment ${deployment.metadata?.name}`;
    const pod = deployment.spec?.template?.spec ?? {};
    if (pod.securityContext?.runAsNonRoot !== true)
      ctx.problems.push(`${where}: the pod's securityContext does not set runAsNonRoot: true`);
    const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])] as Record<string, any>[];
    for (const container of containers) {
      const cwhere = `${where} container ${container.name}`;
      if (container.securityContext?.allowPrivilegeEscalation !== false)
        ctx.problems.push(`${cwhere}: allowPrivilegeEscalation is not false`);
      if (!container.resources?.requests || !container.resources?.limits) ctx.problems.push(`${cwhere}: no resource requests and limits`);
      const command = [...(container.command ?? []), ...(container.args ?? [])].join(' ');
      if (checkNpmCommands(ctx, cwhere, command).includes('db:migrate')) migrates = true;
      checkEnvironment(
        ctx,
        cwhere,
        Object.fromEntries(
          ((container.env ?? []) as { name: string; value?: string }[]).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]),
        ),
      );
      for (const source of (container.envFrom ?? []) as { configMapRef?: { name: string }; secretRef?: { name: string } }[]) {
        if (source.configMapRef && !configMaps.has(source.configMapRef.name))
          ctx.problems.push(`${cwhere}: uses ConfigMap ${source.configMapRef.name}, defined nowhere in ${dir}`);
        if (source.secretRef && !secrets.has(source.secretRef.name))
          ctx.problems.push(`${cwhere}: uses Secret ${source.secretRef.name}, defined nowhere in ${dir} (not even as an example)`);
      }
    }
    for (const container of (pod.containers ?? []) as Record<string, any>[]) {
      const cwhere = `${where} container ${container.name}`;
      const ports = (container.ports ?? []) as { name?: string; containerPort: number }[];
      const env = Object.assign(
        {},
        ...((container.envFrom ?? []) as { configMapRef?: { name: string } }[]).map((s) =>
          s.configMapRef ? (configMaps.get(s.configMapRef.name)?.data ?? {}) : {},
        ),
      ) as Record<string, unknown>;
      const servicePort = Number(env.PORT ?? ctx.defaultPort);
      const portOf = (port: unknown) => (typeof port === 'number' ? port : ports.find((p) => p.name === port)?.containerPort);
      if (!ports.some((p) => p.containerPort === servicePort))
        ctx.problems.push(`${cwhere}: declares no containerPort ${servicePort} (the service's PORT)`);
      if (env.METRICS_PORT !== undefined && !ports.some((p) => p.containerPort === Number(env.METRICS_PORT)))
        ctx.problems.push(`${cwhere}: METRICS_PORT ${String(env.METRICS_PORT)} is not a containerPort`);
      for (const [probe, expected] of [
        ['readinessProbe', HEALTH_PATHS.readiness],
        ['livenessProbe', HEALTH_PATHS.liveness],
      ] as const) {
        const get = container[probe]?.httpGet;
        if (!get) {
          ctx.problems.push(`${cwhere}: no ${probe}`);
          continue;
        }
        if (get.path !== expected) ctx.problems.push(`${cwhere}: ${probe} asks ${get.path}, not ${expected}`);
        if (!ctx.routes.has(`GET ${get.path}`))
          ctx.problems.push(`${cwhere}: ${probe} asks ${get.path}, which the service does not declare`);
        if (portOf(get.port) !== servicePort)
          ctx.problems.push(`${cwhere}: ${probe} asks port ${get.port}, not the service's ${servicePort}`);
      }
    }
    for (const service of manifests.filter((m) => m.kind === 'Service')) {
      const containerPorts = ((pod.containers ?? []) as Record<string, any>[]).flatMap(
        (c) => (c.ports ?? []) as { name?: string; containerPort: number }[],
      );
      for (const port of (service.spec?.ports ?? []) as { targetPort: number | string }[]) {
        if (!containerPorts.some((p) => p.name === port.targetPort || p.containerPort === port.targetPort)) {
          ctx.problems.push(`Service ${service.metadata?.name}: targetPort ${port.targetPort} is no container port of ${where}`);
        }
      }
    }
  }
  if (!migrates) ctx.problems.push(`${dir}: neither a Job nor an init container runs "npm run db:migrate"`);
}

export function checkDeployment(root: string, overrides: Overrides = {}): string[] {
  const r = repo(root, overrides);
  const manifest = JSON.parse(r.read('package.json') ?? '{}') as {
    scripts?: Record<string, string>;
    dependencies?: Record<string, string>;
  };
  const config = r.read('src/config.ts') ?? '';
  const defaultPort = Number(/'PORT',\s*(\d+)/.exec(config)?.[1] ?? NaN);
  const ctx: Context = {
    r,
    scripts: manifest.scripts ?? {},
    dependencies: manifest.dependencies ?? {},
    variables: configVariables(config),
    routes: declaredRoutes(r),
    defaultPort,
    problems: [],
  };
  if (!Number.isInteger(defaultPort)) ctx.problems.push('src/config.ts: cannot find the default PORT');
  checkDockerfile(ctx);
  checkCompose(ctx);
  checkKubernetes(ctx);
  return ctx.problems;
}
