import { errorContextOf, isAwsError, isFatalAwsError, toBootstrapError } from '../aws/aws-error.js';
import type { AwsClients } from '../aws/client-factory.js';
import { BootstrapError } from '../errors.js';
import type { InteractiveIoHost } from '../io-host.js';
import { callerOnTheWire, createAccountReader } from '../state/account-reader.js';
import type { InitContext, PrefetchContext, SharedFacts, Step } from '../steps/step.js';
import type { Change, InitFacts, InitReport, StepResult } from './init-report.js';
import { describeChange, type Journal } from './journal.js';

export interface RunInitOptions {
  steps: readonly { step: Step; selected: boolean }[];
  dryRun?: boolean;
  /** Every write as it happens: the CLI reads it to say what was done when interrupted. */
  journal: Journal;
  /**
   * A check that must pass before any step runs (the password-file preflight): awaited once the reads are
   * started ahead, so its own calls go out with them instead of before them. If it fails, no step runs.
   */
  before?: Promise<unknown>;
}

/**
 * Runs the selected steps in order. A step that fails stops the run: the steps after it are reported
 * `skipped` (they may depend on it, and nothing should be left half-done on top of a failure).
 * Deferred actions (the run's own root access key) run last.
 */
export async function runInit(
  clients: AwsClients,
  io: InteractiveIoHost,
  options: RunInitOptions,
): Promise<{ report: InitReport; facts: InitFacts }> {
  const facts: InitFacts = { leftToDo: [], failures: {} };
  const shared: SharedFacts = {};
  const deferred: { stepIndex: number; label: string; action: () => Promise<void> }[] = [];
  const results: StepResult[] = [];
  let stopped = false;
  // One reader for the run: facts that no step changes (who is calling, the account id) are read once.
  // Steps verify their own writes with fresh calls, never through it.
  const reader = createAccountReader(clients);
  // Reads are started ahead and reused across steps only when the answers come without a person (a config file):
  // in the wizard a person may take minutes between two steps, so each step there starts from fresh reads.
  const answeredAhead = io.knownAnswer !== undefined;
  if (clients.cachesReads && answeredAhead) {
    // `before` is awaited below; until then a failure of it must not count as unhandled.
    options.before?.catch(noop);
    await prefetch(options.steps, { clients, io, reader, partition: clients.partition, dryRun: options.dryRun === true });
  }
  await options.before;

  for (const { step, selected } of options.steps) {
    if (!selected || stopped) {
      results.push({ id: step.id, status: 'skipped', changes: [] });
      continue;
    }
    const changes: Change[] = [];
    const context: InitContext = {
      clients,
      io,
      reader,
      partition: clients.partition,
      dryRun: options.dryRun === true,
      shared,
      facts,
      record(change) {
        changes.push(change);
        options.journal.record(step.id, change);
      },
      defer(label, action) {
        deferred.push({ stepIndex: results.length, label, action });
      },
    };
    io.stepStarted({ id: step.id, title: step.title, why: step.init.why });
    if (!answeredAhead) clients.forgetReads();
    try {
      const outcome = await step.init.run(context);
      results.push({ id: step.id, status: outcome.status, changes: outcome.changes });
    } catch (error) {
      if (error instanceof BootstrapError && error.code === 'INTERRUPTED') throw error;
      if (isFatalAwsError(error)) throw toBootstrapError(error, errorContextOf(clients));
      const message = failureMessage(error, clients);
      facts.failures[step.id] = message;
      io.warn(`${step.id} failed: ${message}`);
      results.push({ id: step.id, status: 'failed', changes });
      stopped = true;
    }
  }

  for (const item of deferred) {
    const result = results[item.stepIndex]!;
    if (stopped) {
      facts.leftToDo.push(`Not done because an earlier step failed: ${item.label}.`);
      continue;
    }
    io.progress(`Last: ${item.label}`);
    try {
      await item.action();
    } catch (error) {
      const known = toBootstrapError(error, errorContextOf(clients));
      facts.failures[result.id] = known.message;
      result.status = 'failed';
    }
  }
  return { report: { version: 1, dryRun: options.dryRun === true, steps: results }, facts };
}

/**
 * Starts the reads of every selected step at once, into the run's read cache, and does not wait for them: each
 * step then finds its reads answered or in flight. A write by any step forgets them all, so a step never plans
 * on state read before an earlier step changed it. Failures are left to the step's own read.
 */
async function prefetch(steps: RunInitOptions['steps'], context: PrefetchContext): Promise<void> {
  // The caller first; the other reads (and the first step) right after.
  await callerOnTheWire(context.clients, context.reader);
  for (const { step, selected } of steps) {
    const read = step.init.prefetch;
    if (!selected || !read) continue;
    Promise.resolve()
      .then(() => read(context))
      .catch(() => undefined);
  }
}

function noop(): void {}

/** An AWS failure gets its cause-and-fix paragraph; the core's own errors already say what went wrong. */
function failureMessage(error: unknown, clients: AwsClients): string {
  if (error instanceof BootstrapError) return error.message;
  if (isAwsError(error)) return toBootstrapError(error, errorContextOf(clients)).message;
  return error instanceof Error ? error.message : String(error);
}

export { describeChange };
