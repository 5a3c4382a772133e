import { createAwsClients } from '../../core/aws/client-factory.js';
import { errorContextOf, toBootstrapError } from '../../core/aws/aws-error.js';
import { checkExitCode } from '../../core/check/check-report.js';
import { runCheck } from '../../core/check/run-check.js';
import { startReadPlan } from '../../core/aws/read-plan.js';
import type { GlobalOptionValues, OutputOptionValues } from '../options.js';
import { resolveOutputFormat } from '../output-format.js';
import { userReadPlanDir } from '../../launcher/cache-dir.js';
import { renderCheck } from '../render/render-check.js';
import { shouldUseColor, styleFor } from '../render/style.js';
import type { TerminalIoHost } from '../terminal-io-host.js';

export type CheckCommandOptions = GlobalOptionValues & OutputOptionValues & { config?: string };

/** `aws-bootstrap check`: read-only posture check; the report on stdout, the exit code from its findings. */
export async function checkCommand(options: CheckCommandOptions, io: TerminalIoHost): Promise<number> {
  const format = resolveOutputFormat(options);
  // The config loader (zod, yaml) is a third of what check would parse: loaded only for --config.
  const expected =
    options.config === undefined
      ? undefined
      : await (await import('../../core/config/load-config.js')).loadConfig(options.config, { isTTY: false, env: process.env, purpose: 'check' });
  // The read cache takes the reads sent ahead from the last run's plan, and records this run's for the next.
  const clients = await createAwsClients({ ...options, readCache: true }, io);
  if (io.debugEnabled) {
    const source = await clients.credentialSource().catch((e: unknown) => {
      throw toBootstrapError(e, errorContextOf(clients));
    });
    io.debug(`credentials: ${source}`);
  }
  // Not awaited before the reads start: the plan's reads follow as soon as the credentials resolve, which the
  // run's first requests wait for too.
  const plan = startReadPlan('check', clients, io, userReadPlanDir()).catch(() => undefined);
  const report = await runCheck(clients, io, expected ? { expected } : {});
  const style = styleFor(format === 'table' && shouldUseColor(options.color, process.stdout));
  process.stdout.write(renderCheck(report, format, style));
  (await plan)?.finish();
  return checkExitCode(report);
}
