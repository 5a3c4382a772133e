// Builds dist/: every dependency is bundled (npx installs nothing more).
// - dist/app.cjs: the whole CLI as one CommonJS bundle. Commands, the wizard and the SDK's rarer credential
//   providers are modules inside it that are evaluated only when used.
// - dist/cli.cjs: the bin, a small launcher that loads app.cjs through V8's code cache (src/launcher/).
//   It carries app.cjs's content hash, so a cache is never used with another build of the bundle.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmod, readFile, rm } from 'node:fs/promises';
import { isBuiltin } from 'node:module';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'linked',
  logLevel: 'warning',
};

/**
 * A bundled package's `await import('node:http')` becomes a require() inside the bundle: the launcher runs
 * app.cjs with vm.Script, which has no loader for a real import().
 */
const builtinImportsAsRequire = {
  name: 'builtin-imports-as-require',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) =>
      args.kind === 'dynamic-import' && isBuiltin(args.path) ? { path: args.path, namespace: 'builtin-require' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * Node builtins that bundled packages require when they load but use only on paths aws-bootstrap does not take
 * (commander spawns executable subcommands, the SDK runs `credential_process`): they get a stand-in that
 * requires the real module on first use, so that no command pays for loading it at start-up.
 */
const LAZY_BUILTINS = new Set(['child_process']);
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (!LAZY_BUILTINS.has(name)) return undefined;
      // The stand-in's own require is the real module.
      if (args.namespace === 'lazy-builtin') return { path: `node:${name}`, external: true };
      return { path: name, namespace: 'lazy-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: [
        'let real;',
        `const load = () => (real ??= require(${JSON.stringify(`node:${args.path}`)}));`,
        'module.exports = new Proxy({}, {',
        '  get: (_, key) => load()[key],',
        '  has: (_, key) => key in load(),',
        '  ownKeys: () => Reflect.ownKeys(load()),',
        '  getOwnPropertyDescriptor: (_, key) => {',
        '    const d = Reflect.getOwnPropertyDescriptor(load(), key);',
        '    return d && { ...d, configurable: true };',
        '  },',
        '});',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

// Two passes. The first is an ESM build with code splitting: only there does esbuild tree-shake across the
// SDK's barrel files (`export *`), so each lazily loaded part keeps only what it uses. The second joins those
// chunks into one CommonJS file, each chunk a module evaluated on first use (esbuild's `__esm` wrappers).
const staging = 'dist/.staging';
await build({
  ...common,
  entryPoints: { app: 'src/app.ts' },
  outdir: staging,
  splitting: true,
  format: 'esm',
  legalComments: 'eof',
  // The ESM builds of the AWS SDK (`module`), not its CommonJS ones (`main`): only ESM is tree-shaken, and only
  // there are the SDK's own lazy `import()`s (credential providers other than the environment) left lazy.
  mainFields: ['module', 'main'],
  define: { __AWS_BOOTSTRAP_VERSION__: JSON.stringify(pkg.version) },
  plugins: [lazyBuiltins],
});
const app = await build({
  ...common,
  entryPoints: [`${staging}/app.js`],
  outfile: 'dist/app.cjs',
  format: 'cjs',
  metafile: true,
  plugins: [builtinImportsAsRequire],
});
await rm(staging, { recursive: true, force: true });
// Any other import() left in app.cjs would fail at run time the same way.
const external = Object.values(app.metafile.outputs)
  .flatMap((output) => output.imports)
  .filter((i) => i.kind === 'dynamic-import' && i.external);
if (external.length > 0) throw new Error(`dist/app.cjs keeps dynamic imports: ${external.map((i) => i.path).join(', ')}`);

const appHash = createHash('sha256').update(await readFile('dist/app.cjs')).digest('hex').slice(0, 16);
await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.cjs',
  format: 'cjs',
  define: { __AWS_BOOTSTRAP_APP_HASH__: JSON.stringify(appHash) },
});
await chmod('dist/cli.cjs', 0o755);
