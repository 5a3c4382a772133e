import { ExitCode } from './core/exit-codes.js';
import { interruptNote } from './cli/interrupt.js';
import { main, type StartupInfo } from './cli/main.js';

// The whole CLI behind the launcher (src/cli.ts), built as one CommonJS bundle (dist/app.cjs) so that the
// launcher can load it through V8's code cache.

// The SDK bundled in this build supports Node 20; its notice about future SDK releases is for our
// maintainers, not for users, so it is silenced unless the user set the variable themselves.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Ctrl-C outside a prompt (prompts turn it into an error of their own): exit 130 with one line saying
// what was already done, never a stack trace.
process.once('SIGINT', () => {
  process.stderr.write(`\naws-bootstrap: interrupted. ${interruptNote()}\n`);
  process.exit(ExitCode.Interrupted);
});

/** Runs the CLI; resolves with the exit code. */
export function run(argv: readonly string[], startup?: StartupInfo): Promise<number> {
  return main(argv, startup);
}
