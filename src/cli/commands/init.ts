import { resolve } from 'node:path';
import { createAwsClients } from '../../core/aws/client-factory.js';
import { startReadPlan } from '../../core/aws/read-plan.js';
import { ConfigIoHost } from '../../core/config/config-io-host.js';
import { selectStepsForConfig } from '../../core/config/config-steps.js';
import { checkPasswordFileBeforeWrites } from '../../core/config/password-file-preflight.js';
import { BootstrapError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { InteractiveIoHost, IoHost } from '../../core/io-host.js';
import { Journal } from '../../core/init/journal.js';
import { runInit } from '../../core/init/run-init.js';
import { selectSteps } from '../../core/init/select-steps.js';
import { setInterruptNote } from '../interrupt.js';
import type { GlobalOptionValues } from '../options.js';
import { renderInitJson, renderInitSummary } from '../render/init-summary.js';
import { userReadPlanDir } from '../../launcher/cache-dir.js';
import { shouldUseColor, styleFor } from '../render/style.js';
import type { TerminalIoHost } from '../terminal-io-host.js';

export interface InitCommandOptions extends GlobalOptionValues {
  yes?: boolean;
  only?: string;
  skip?: string;
  json?: boolean;
  config?: string;
  dryRun?: boolean;
}

const hasTerminal = () => process.stdin.isTTY === true && process.stderr.isTTY === true;

/**
 * `aws-bootstrap init`: the wizard, or (with --config) the same steps answered by a file. Questions and
 * progress on stderr; the summary (or JSON) on stdout. With --dry-run (= `plan`) no write call is made.
 */
export async function initCommand(options: InitCommandOptions, terminal: TerminalIoHost): Promise<number> {
  const dryRun = options.dryRun === true;
  const tty = hasTerminal();
  if (options.config !== undefined && !dryRun && !options.yes && !tty) {
    throw new BootstrapError(
      'USAGE',
      'init --config applies changes, and without a terminal nobody can confirm them: add --yes to apply the file ' +
        'as it is, or run `aws-bootstrap plan --config FILE` first to see what would change.',
    );
  }
  // With a config file, the last run's reads for this file (read-plan.ts) go out first: they are on their way
  // while the file is parsed and validated (the YAML parser and the schema are a third of what init loads).
  const early = options.config === undefined ? undefined : await clientsWithPlan(options, options.config, dryRun, terminal);
  let finished = false;
  try {
    const code = await initWith(options, terminal, dryRun, tty, early);
    finished = true;
    return code;
  } finally {
    // A run that stops early (a bad file, no terminal to confirm) does not wait for reads nobody will use.
    if (!finished) early?.plan?.abort();
  }
}

/**
 * The run's clients, and its read plan's reads on the wire: the config file is parsed while they travel. The
 * clients only log (debug), which the terminal does as well as the config's IO host.
 */
async function clientsWithPlan(options: InitCommandOptions, file: string, dryRun: boolean, terminal: TerminalIoHost) {
  const clients = await initClients(options, dryRun, terminal);
  const plan = await startReadPlan(`${dryRun ? 'plan' : 'init'} ${resolve(file)}`, clients, terminal, userReadPlanDir()).catch(() => undefined);
  // Two turns of the event loop: the plan's new connections complete and its requests are written before the
  // file is parsed (CPU the network wait then hides; the bench measured about 20 ms on an init re-run).
  if (plan) for (let turn = 0; turn < 2; turn++) await new Promise((r) => setImmediate(r));
  return { clients, plan };
}

/** A dry run's clients refuse every write; every run has a read cache (steps share reads; a plan's go there). */
function initClients(options: InitCommandOptions, dryRun: boolean, io: IoHost) {
  return createAwsClients({ ...options, readOnly: dryRun, readCache: true }, io);
}

async function initWith(
  options: InitCommandOptions,
  terminal: TerminalIoHost,
  dryRun: boolean,
  tty: boolean,
  early: Awaited<ReturnType<typeof clientsWithPlan>> | undefined,
): Promise<number> {
  // A dry run asks nothing and writes no password file: whether a terminal could answer prompts does not matter.
  const config =
    options.config === undefined
      ? undefined
      : await (await import('../../core/config/load-config.js')).loadConfig(options.config, {
          isTTY: tty || dryRun,
          env: process.env,
          ...(dryRun ? { purpose: 'check' as const } : {}),
        });
  const steps = config ? selectStepsForConfig(config, options.only, options.skip) : selectSteps(options.only, options.skip);

  if (!config && !tty) {
    throw new BootstrapError(
      'USAGE',
      'init asks questions and needs a terminal, and none is attached. To set an account up from a script, ' +
        'describe it in a file and run `aws-bootstrap init --config FILE --yes`.',
    );
  }

  const style = styleFor(shouldUseColor(options.color, process.stderr));
  const wizard = tty
    ? // The prompts (inquirer, and what its editor prompt brings) are loaded only when a terminal can answer them.
      new (await import('../wizard-io-host.js')).WizardIoHost({
        debug: terminal.debugEnabled,
        yes: options.yes === true,
        style,
        totalSteps: steps.filter((s) => s.selected).length,
      })
    : undefined;
  const io: InteractiveIoHost = config
    ? new ConfigIoHost(config, { output: terminal, yes: options.yes === true, ...(wizard ? { interactive: wizard } : {}), env: process.env })
    : wizard!;

  const journal = new Journal();
  // The wizard has no read plan: its steps read afresh after each person's answer.
  const clients = early?.clients ?? (await initClients(options, dryRun, io));
  setInterruptNote(() => journal.summaryLine(clients.writesInFlight()));
  const before = config && !dryRun ? checkPasswordFileBeforeWrites(config, clients, io) : undefined;
  const { report, facts } = await runInit(clients, io, { steps, journal, dryRun, ...(before ? { before } : {}) });
  early?.plan?.finish();
  if (config?.adminUser?.mfa === 'defer' && !dryRun) {
    facts.leftToDo.push(
      `${config.adminUser.name} sets up MFA at first sign-in: until then the MFA guard lets them do nothing else.`,
    );
  }
  const outStyle = styleFor(!options.json && shouldUseColor(options.color, process.stdout));
  process.stdout.write(options.json ? renderInitJson(report) : renderInitSummary(report, facts, outStyle));
  return report.steps.some((s) => s.status === 'failed') ? ExitCode.Aws : ExitCode.Ok;
}
