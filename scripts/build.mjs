// Bundles the CLI into dist/ (ESM) with every dependency inside it (npx installs nothing more). dist/cli.js is
// the bin; each command and the SDK clients are split into chunks loaded only when a command runs, so
// `--version` and `--help` parse a few kilobytes instead of the whole bundle.
import { build } from 'esbuild';
import { chmod, readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  // The ESM builds of the AWS SDK (`module`), not its CommonJS ones (`main`): only ESM is tree-shaken, and only
  // there do the SDK's own lazy `import()`s (credential providers other than the environment) stay separate chunks.
  mainFields: ['module', 'main'],
  format: 'esm',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'linked',
  define: { __AWS_BOOTSTRAP_VERSION__: JSON.stringify(pkg.version) },
  // Some bundled CommonJS packages call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __abCreateRequire } from 'node:module'; const require = __abCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
await chmod('dist/cli.js', 0o755);
