import { awsErrorKind, AwsCallError, deniedActionOf, errorContextOf, isFatalAwsError, toBootstrapError } from '../aws/aws-error.js';
import type { AwsClients } from '../aws/client-factory.js';
import type { BootstrapConfig } from '../config/config-types.js';
import type { IoHost } from '../io-host.js';
import { iamActionFor } from '../permissions.js';
import { callerOnTheWire, createAccountReader } from '../state/account-reader.js';
import type { AccountState, ReadName } from '../state/account-state.js';
import { STEPS, type Step } from '../steps/index.js';
import type { StepContext } from '../steps/step.js';
import { summarize, type CheckReport, type ControlResult } from './check-report.js';

export interface RunCheckOptions {
  /** The steps to check, in order; all of them by default. */
  steps?: readonly Step[];
  /** `check --config`: check the named resources and values instead of "any". */
  expected?: BootstrapConfig;
}

/**
 * Reads that start a chain of dependent calls go out before the single-call ones: budgets (then notifications'
 * subscribers) and admin members (admin groups, then members, then their login profiles and MFA devices). A
 * server that answers in turn then answers the heads of the chains first.
 */
const LONGEST_CHAINS_FIRST: readonly ReadName[] = ['adminMembers', 'budgets'];

type Settled = { [K in ReadName]?: PromiseSettledResult<AccountState[K]> };

/**
 * Reads everything the selected controls need (each read once, all in parallel), then evaluates every
 * control purely over that state. A failed read turns only its controls into `error` rows, unless it means
 * no call can succeed (credentials, network): then the whole run fails with exit 3.
 */
export async function runCheck(clients: AwsClients, io: IoHost, options: RunCheckOptions = {}): Promise<CheckReport> {
  const steps = options.steps ?? STEPS;
  const reader = createAccountReader(clients, options.expected ? { expected: options.expected } : {});
  const wanted = new Set<ReadName>(['caller', 'aliases', ...steps.flatMap((s) => s.check.reads)]);
  // The caller stays first: when nothing can be reached, its (regional) failure is the one reported, and it
  // names the region.
  const names = [...new Set<ReadName>(['caller', ...LONGEST_CHAINS_FIRST.filter((name) => wanted.has(name)), ...wanted])];

  await callerOnTheWire(clients, reader);
  const reads = Promise.allSettled(names.map((name) => reader.read(name)));
  io.progress(`Reading account state (${steps.length} controls)...`);
  const results = await reads;
  const settled = Object.fromEntries(names.map((name, i) => [name, results[i]])) as Settled;

  const failures = Object.values(settled).flatMap((r) => (r?.status === 'rejected' ? [r.reason as unknown] : []));
  const fatal = failures.find(isFatalAwsError);
  if (fatal !== undefined) throw toBootstrapError(fatal, errorContextOf(clients));
  const caller = valueOf(settled, 'caller');
  if (caller === undefined) throw toBootstrapError(rejectionOf(settled, 'caller'), errorContextOf(clients));

  const context: StepContext = { partition: clients.partition, ...(options.expected ? { expected: options.expected } : {}) };
  const controls = steps.map((step) => evaluateStep(step, settled, context));
  return {
    version: 1,
    account: { id: caller.accountId, alias: valueOf(settled, 'aliases')?.[0] ?? null, caller: caller.arn },
    summary: summarize(controls),
    controls,
  };
}

function valueOf<K extends ReadName>(settled: Settled, name: K): AccountState[K] | undefined {
  const r = settled[name];
  return r?.status === 'fulfilled' ? (r.value as AccountState[K]) : undefined;
}

function rejectionOf(settled: Settled, name: ReadName): unknown {
  const r = settled[name];
  return r?.status === 'rejected' ? r.reason : undefined;
}

function evaluateStep(step: Step, settled: Settled, context: StepContext): ControlResult {
  const base = { id: step.id, title: step.title, references: step.references };
  const failed = step.check.reads.find((name) => settled[name]?.status === 'rejected');
  if (failed !== undefined) {
    const reason = rejectionOf(settled, failed);
    const call = reason instanceof AwsCallError ? reason.call : failed;
    return {
      ...base,
      status: 'error',
      detail: reason instanceof Error ? reason.message : `${call} failed`,
      remediation:
        awsErrorKind(reason) === 'access-denied'
          ? `Allow ${deniedActionOf(reason) ?? iamActionFor(call) ?? call} for the identity running aws-bootstrap (or run as an admin).`
          : `Run again with --debug to see the failing call.`,
    };
  }
  const state = Object.fromEntries(step.check.reads.map((name) => [name, valueOf(settled, name)])) as unknown as AccountState;
  const { status, detail } = step.check.evaluate(state, context);
  const remediation = status === 'fail' || status === 'manual' ? step.remediation(context) : null;
  return { ...base, status, detail, remediation };
}
