import type { AwsClients } from '../../src/core/aws/client-factory.js';
import { Journal } from '../../src/core/init/journal.js';
import { runInit } from '../../src/core/init/run-init.js';
import { selectSteps } from '../../src/core/init/select-steps.js';
import type { ScriptedIoHost } from './scripted-io-host.js';

/** Runs init's runner in-process for the given step ids (comma-separated, as `--only` takes them). */
export function runSteps(clients: AwsClients, io: ScriptedIoHost, only: string, options: { dryRun?: boolean } = {}) {
  return runInit(clients, io, { steps: selectSteps(only, undefined), dryRun: options.dryRun, journal: new Journal() });
}
