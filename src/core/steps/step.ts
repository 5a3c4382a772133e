import type { AwsClients } from '../aws/client-factory.js';
import type { Partition } from '../aws/partition.js';
import type { BootstrapConfig } from '../config/config-types.js';
import type { Change, InitFacts, InitStatus } from '../init/init-report.js';
import type { InteractiveIoHost } from '../io-host.js';
import type { AccountReader } from '../state/account-reader.js';
import type { AccountState, ReadName } from '../state/account-state.js';

/** Step ids: public API (flags `--only/--skip`, JSON output, docs). The order is the order of `init`. */
export const STEP_IDS = [
  'root-mfa',
  'root-access-keys',
  'account-alias',
  'admin-group',
  'admin-user',
  'admin-user-mfa',
  'billing-access',
  'budget',
] as const;

export type StepId = (typeof STEP_IDS)[number];

/** What a control's pure evaluation concludes; `error` is decided by the runner when a read fails. */
export interface Evaluation {
  status: 'pass' | 'fail' | 'manual' | 'skipped';
  detail: string;
}

export interface StepContext {
  partition: Partition;
  /** `check --config`: the named resources and values to check for, instead of "any". */
  expected?: BootstrapConfig;
}

/** The check half of a step: which reads it needs, and a pure function of their results. */
export interface StepCheck<R extends ReadName = ReadName> {
  reads: readonly R[];
  evaluate(state: Pick<AccountState, R>, context: StepContext): Evaluation;
}

/** Facts one step hands to the next within a run (the group admin-user joins, the user admin-user-mfa enrols). */
export interface SharedFacts {
  adminGroupName?: string;
  adminUserName?: string;
}

/** What a step's `init` half gets: AWS, the person, and the run's bookkeeping. */
export interface InitContext {
  clients: AwsClients;
  io: InteractiveIoHost;
  /**
   * Reads shared by all steps of a run, each made once (who is calling, the account id). A step that needs the
   * state after another step's writes, or verifies its own, makes a fresh call instead.
   */
  reader: AccountReader;
  partition: Partition;
  /** Plan only: no write call at all; steps return `planned` or `unchanged`. */
  dryRun: boolean;
  shared: SharedFacts;
  facts: InitFacts;
  /** Call after every successful write: the journal behind the summary and Ctrl-C's "what was done". */
  record(change: Change): void;
  /** Runs after every other step, e.g. deleting the access key this very run signs its calls with. */
  defer(label: string, action: () => Promise<void>): void;
}

export interface StepOutcome {
  status: Exclude<InitStatus, 'failed'>;
  changes: Change[];
}

/** What a step's `prefetch` gets: enough to read, nothing to write, ask or record with. */
export type PrefetchContext = Pick<InitContext, 'clients' | 'io' | 'reader' | 'partition' | 'dryRun'>;

/** The init half of a step: read current state, compute a pure plan, confirm, apply, verify. */
export interface StepInit {
  /** One or two plain sentences for someone on their first day with AWS: what this is and why. */
  why: string;
  /**
   * Optional: sends at once, before any step runs, the reads `run` will make, for the answers known without
   * asking (`io.knownAnswer`), so that they are in the run's read cache when `run` makes them. It only reads
   * (the same functions `run` reads with, so the requests are identical), never asks, and its failures are
   * ignored: `run` reads again and handles them. Correctness never depends on it.
   */
  prefetch?(context: PrefetchContext): Promise<unknown>;
  run(context: InitContext): Promise<StepOutcome>;
}

/**
 * One step of the baseline, one module per id: a check (read + pure evaluation) and an init
 * (read, plan, apply, verify) over the same facts.
 */
export interface Step<R extends ReadName = ReadName> {
  id: StepId;
  title: string;
  /** CIS AWS Foundations / Security Hub / baseline references. */
  references: string[];
  /** One line: how to fix a failing or manual control (a console URL or the command). */
  remediation(context: StepContext): string;
  check: StepCheck<R>;
  init: StepInit;
}

/** Keeps each step's `evaluate` typed against exactly the reads it declares. */
export function defineStep<R extends ReadName>(step: Step<R>): Step {
  return step as unknown as Step;
}
