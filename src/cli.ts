#!/usr/bin/env node
import nodeModule from 'node:module';
import { ExitCode } from './core/exit-codes.js';
import { interruptNote } from './cli/interrupt.js';
import { main } from './cli/main.js';

// The SDK bundled in this build supports Node 20; its notice about future SDK releases is for our
// maintainers, not for users, so it is silenced unless the user set the variable themselves.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Node 22.1 and later keep V8's compiled code between runs (in the OS temp directory), so a command's chunks
// load faster from the second run on. Node 20 has no compile cache: there this does nothing.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// Ctrl-C outside a prompt (prompts turn it into an error of their own): exit 130 with one line saying
// what was already done, never a stack trace.
process.once('SIGINT', () => {
  process.stderr.write(`\naws-bootstrap: interrupted. ${interruptNote()}\n`);
  process.exit(ExitCode.Interrupted);
});

process.exitCode = await main(process.argv);
