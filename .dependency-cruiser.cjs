/**
 * The direction of dependencies in src/ and web/ (CONTRIBUTING.md, "What each layer may import"),
 * checked by `npm run lint:layers` (part of `npm run lint`). Inward means: the domain needs nothing;
 * core (the context and errors every module shares), the database and infra need neither the
 * modules nor the HTTP layer; the modules need core, the domain, the database and each other
 * without cycles; the HTTP layer sits outside them all and wires them up.
 * Type-only imports count: a type is a dependency too.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'The formulas and product rules are pure functions: no package, no Node.js module, no database, no ' +
        'clock, nothing from the rest of the service. Time and data come in as arguments, so every rule ' +
        'runs and is tested on its own (test/domain/).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'modules-not-to-http',
      comment:
        'A module (src/modules/<resource>) never imports the HTTP layer, not even its routes.ts: the ' +
        'context, the errors and the shared schema pieces it needs are in src/core/. Services throw an ' +
        'AppError and src/http/errors.ts decides the status and the problem body. Otherwise src/http, ' +
        'which registers every module, and the modules would depend on each other.',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'core-is-inner',
      comment:
        'src/core/ is what the modules and the HTTP layer share; it names collaborators by their ' +
        'interfaces, so it depends on neither of them (otherwise each module would be in a cycle with it).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(modules|http)/' },
    },
    {
      name: 'storage-is-inner',
      comment:
        'The database (src/db) and the shared infrastructure (src/infra) serve the modules and the ' +
        'HTTP layer and know nothing of them, nor of src/core.',
      severity: 'error',
      from: { path: '^src/(db|infra)/' },
      to: { path: '^src/(core|modules|http)/' },
    },
    {
      name: 'admin-is-outer',
      comment:
        'The administration tasks (src/admin) and the `recomp` command (src/cli) use the modules and the ' +
        'database as the HTTP layer does; nothing inside the service (the domain, core, the database, ' +
        'the modules) imports them.',
      severity: 'error',
      from: { path: '^src/(domain|core|db|infra|modules)/' },
      to: { path: '^src/(admin|cli)/' },
    },
    {
      name: 'cli-is-outermost',
      comment: 'The command line (src/cli) is an entry: nothing outside it imports it.',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-folder-cycles',
      comment:
        'No two folders depend on each other, directly or round about (modules between themselves, ' +
        'src/http and a module): each folder can be read, tested and changed knowing only what it uses. ' +
        'Two modules that need each other share a piece that belongs to one of them, or to src/core.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-file-cycles',
      comment: 'Nor two files, even in one folder: an import cycle makes the load order matter.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'web-not-to-src',
      comment:
        'The web app reaches the service only over HTTP (web/src/api/client.ts), with its wire types in ' +
        'web/src/api/; it imports nothing from src/, so it builds and runs with none of the server code.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/' },
    },
  ],
  options: {
    // Build output and packages are not ours to check; packages still appear as the targets of imports.
    exclude: { path: '^web/dist/' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json'],
    },
  },
};
