import { createAwsClients } from '../../core/aws/client-factory.js';
import { BootstrapError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { Journal } from '../../core/init/journal.js';
import { runInit } from '../../core/init/run-init.js';
import { selectSteps } from '../../core/init/select-steps.js';
import { setInterruptNote } from '../interrupt.js';
import type { GlobalOptionValues } from '../options.js';
import { renderInitJson, renderInitSummary } from '../render/init-summary.js';
import { shouldUseColor, styleFor } from '../render/style.js';
import type { TerminalIoHost } from '../terminal-io-host.js';
import { WizardIoHost } from '../wizard-io-host.js';

export interface InitCommandOptions extends GlobalOptionValues {
  yes?: boolean;
  only?: string;
  skip?: string;
  json?: boolean;
}

/** `aws-bootstrap init`: the wizard. Every question on stderr; the summary (or JSON) on stdout. */
export async function initCommand(options: InitCommandOptions, terminal: TerminalIoHost): Promise<number> {
  const steps = selectSteps(options.only, options.skip);
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new BootstrapError(
      'USAGE',
      'init asks questions and needs a terminal, and none is attached. To set an account up from a script, ' +
        'describe it in a file and run `aws-bootstrap init --config FILE --yes`.',
    );
  }
  const style = styleFor(shouldUseColor(options.color, process.stderr));
  const io = new WizardIoHost({
    debug: terminal.debugEnabled,
    yes: options.yes === true,
    style,
    totalSteps: steps.filter((s) => s.selected).length,
  });
  const journal = new Journal();
  setInterruptNote(() => journal.summaryLine());
  const clients = await createAwsClients(options, io);
  const { report, facts } = await runInit(clients, io, { steps, journal });
  const outStyle = styleFor(!options.json && shouldUseColor(options.color, process.stdout));
  process.stdout.write(options.json ? renderInitJson(report) : renderInitSummary(report, facts, outStyle));
  return report.steps.some((s) => s.status === 'failed') ? ExitCode.Aws : ExitCode.Ok;
}
