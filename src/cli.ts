#!/usr/bin/env node
import { ExitCode } from './core/exit-codes.js';
import { interruptNote } from './cli/interrupt.js';
import { main } from './cli/main.js';

// The SDK bundled in this build supports Node 20; its notice about future SDK releases is for our
// maintainers, not for users, so it is silenced unless the user set the variable themselves.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Ctrl-C outside a prompt (prompts turn it into an error of their own): exit 130 with one line saying
// what was already done, never a stack trace.
process.once('SIGINT', () => {
  process.stderr.write(`\naws-bootstrap: interrupted. ${interruptNote()}\n`);
  process.exit(ExitCode.Interrupted);
});

process.exitCode = await main(process.argv);
