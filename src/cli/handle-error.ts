import { CommanderError } from 'commander';
import { BootstrapError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';

/**
 * The one place an error becomes an exit code and a message on stderr. Known errors print their paragraph;
 * anything else is a bug and says so. Stacks only under --debug.
 */
export async function handleError(error: unknown, options: { debug: boolean; stderr?: NodeJS.WritableStream }): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  if (error instanceof CommanderError) {
    // commander has already printed its message (or the help / version text).
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  const known = await toKnownError(error);
  stderr.write(`aws-bootstrap: ${known.message}\n`);
  if (options.debug) {
    const cause = known.cause ?? known;
    stderr.write(`[debug] error code ${known.code}\n${cause instanceof Error ? (cause.stack ?? String(cause)) : String(cause)}\n`);
  } else if (known.code === 'INTERNAL') {
    stderr.write('Run again with --debug for the stack trace.\n');
  }
  return known.exitCode;
}

async function toKnownError(error: unknown): Promise<BootstrapError> {
  if (error instanceof BootstrapError) return error;
  // Loaded only here: the AWS error mapping (and the SDK's region table it uses) stays out of start-up.
  const { isAwsError, toBootstrapError } = await import('../core/aws/aws-error.js');
  if (isAwsError(error)) return toBootstrapError(error);
  const message = error instanceof Error ? error.message : String(error);
  return new BootstrapError(
    'INTERNAL',
    `Unexpected error: ${message}. This is a bug in aws-bootstrap: please report it with the output of --debug.`,
    { cause: error },
  );
}
