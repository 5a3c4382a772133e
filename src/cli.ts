#!/usr/bin/env node
// The bin (dist/cli.cjs): a few kilobytes that load the CLI (dist/app.cjs, one CommonJS bundle) through V8's
// code cache, so that from the second run on Node skips parsing and compiling it. The cache is per build of the
// bundle, per command and per Node version; see src/launcher/code-cache.ts. CommonJS, not ESM: Node starts
// its ESM loader only for ESM, which would add to every start-up.
import { join } from 'node:path';
import { COMMAND_NAMES } from './cli/command-names.js';
import type { StartupInfo } from './cli/main.js';
import { codeCacheDir, homeDirectory } from './launcher/cache-dir.js';
import { loadBundle, pruneCache } from './launcher/code-cache.js';

/** The content hash of dist/app.cjs, set by the build. */
declare const __AWS_BOOTSTRAP_APP_HASH__: string;

interface App {
  run(argv: readonly string[], startup: StartupInfo): Promise<number>;
}

const argv = process.argv;
const args = argv.slice(2);
// Help for a command compiles little of it: it shares the cache of runs without a command.
const asksHelp = args.includes('-h') || args.includes('--help') || args[0] === 'help';
const command = asksHelp ? undefined : args.find((arg) => (COMMAND_NAMES as readonly string[]).includes(arg));
const build = `app-${__AWS_BOOTSTRAP_APP_HASH__}`;
const dir = codeCacheDir(process.env, process.platform, homeDirectory());
const app = loadBundle<App>(join(__dirname, 'app.cjs'), {
  dir,
  key: `${build}-${command ?? 'none'}-node${process.versions.node}-${process.arch}`,
});

// Only a complete run (0: done, 1: check found a failing control) saves its compiled code: a run that stopped
// early compiled only part of what the next run needs. Saving is best effort and never fails the run.
process.once('exit', (code) => {
  try {
    if ((code === 0 || code === 1) && app.save() && dir !== undefined) pruneCache(dir, build);
  } catch {
    // no cache this time
  }
});

void app.exports.run(argv, { codeCache: { status: app.status, file: app.file } }).then((code) => {
  process.exitCode = code;
});
