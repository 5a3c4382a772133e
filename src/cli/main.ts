import { Command } from 'commander';
import { ExitCode } from '../core/exit-codes.js';
import { VERSION } from '../core/version.js';
import { handleError } from './handle-error.js';
import { addOptions, CHECK_OPTIONS, GLOBAL_OPTIONS, INIT_OPTIONS, PERMISSIONS_OPTIONS, PLAN_OPTIONS, type GlobalOptionValues } from './options.js';
import { STEP_IDS } from '../core/steps/step.js';
import { TerminalIoHost } from './terminal-io-host.js';

const EXIT_CODES_HELP = `
Exit codes:
  0    success (check: no control fails; init: no step failed; manual rows allowed)
  1    check: at least one control fails
  2    invalid usage or config (nothing was sent to AWS)
  3    AWS error: no or invalid credentials, access denied, network (check: a control could not be read;
       init: a step failed)
  4    internal error (a bug: please report it)
  130  interrupted (Ctrl-C)
`;

type CommandRunner = (options: any, io: TerminalIoHost) => Promise<number>;

/** What the launcher (src/cli.ts) knows about how it loaded the CLI; shown under --debug. */
export interface StartupInfo {
  codeCache: { status: 'hit' | 'miss' | 'rejected' | 'off'; file: string | undefined };
}

/** Builds the commander program. Each command's code is imported only when that command runs. */
export function buildProgram(setExitCode: (code: number) => void, startup?: StartupInfo): Command {
  const program = new Command('aws-bootstrap')
    .description('Take a new AWS account to a secure, verified baseline, and keep verifying it.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .addHelpText('after', EXIT_CODES_HELP);
  addOptions(program, GLOBAL_OPTIONS);

  const run = (load: () => Promise<CommandRunner>) =>
    async function (this: Command) {
      const options = this.optsWithGlobals() as GlobalOptionValues;
      const io = new TerminalIoHost({ debug: options.debug === true });
      if (startup) io.debug(`code cache: ${startup.codeCache.status}${startup.codeCache.file ? ` (${startup.codeCache.file})` : ''}`);
      const command = await load();
      setExitCode(await command(options, io));
    };

  addOptions(
    program
      .command('init')
      .description('set the account up step by step (a wizard: asks before every change)')
      .addHelpText('after', `\nStep ids, in order: ${STEP_IDS.join(', ')}`)
      .exitOverride(),
    INIT_OPTIONS,
  ).action(run(async () => (await import('./commands/init.js')).initCommand));

  addOptions(
    program
      .command('plan')
      .description('show what `init --config FILE` would change, changing nothing (no write call is made)')
      .exitOverride(),
    PLAN_OPTIONS,
  ).action(
    run(async () => {
      const { initCommand } = await import('./commands/init.js');
      return (options, io) => initCommand({ ...options, dryRun: true }, io);
    }),
  );

  addOptions(
    program
      .command('check')
      .description('check the account against the baseline (read-only); exit 1 when a control fails')
      .exitOverride(),
    CHECK_OPTIONS,
  ).action(run(async () => (await import('./commands/check.js')).checkCommand));

  program
    .command('schema')
    .description('print the JSON Schema of the --config file on stdout (for editors: see the README)')
    .exitOverride()
    .action(run(async () => (await import('./commands/schema.js')).schemaCommand));

  addOptions(
    program
      .command('permissions')
      .description('print the minimal IAM policy a command needs, as JSON on stdout')
      .exitOverride(),
    PERMISSIONS_OPTIONS,
  ).action(run(async () => (await import('./commands/permissions.js')).permissionsCommand));

  return program;
}

/** Runs the CLI and returns the exit code; never calls process.exit. */
export async function main(argv: readonly string[], startup?: StartupInfo): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  const program = buildProgram((code) => {
    exitCode = code;
  }, startup);
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    const debug = program.opts().debug === true || argv.includes('--debug');
    return handleError(error, { debug });
  }
}
