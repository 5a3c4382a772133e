import {
  DescribeBudgetCommand,
  DescribeBudgetNotificationsForAccountCommand,
  DescribeBudgetsCommand,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
} from '@aws-sdk/client-budgets';
import {
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetGroupCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListVirtualMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readPrivateFile, writePrivateFile } from '../../launcher/private-file.js';
import type { IoHost } from '../io-host.js';
import type { AwsClients } from './client-factory.js';
import { readKey, type AskedRead } from './read-cache.js';

/**
 * A read plan: the reads one run made, kept for the next run of the same command with the same profile,
 * endpoint and region. With the same access key, that run sends them all at once, first thing, into its read
 * cache (read-cache.ts); with other credentials (temporary ones rotate: SSO, an assumed role, CloudShell), it
 * sends at once only the reads that name nothing of the account (no account id, user, group or budget), and the
 * others once the caller's identity shows the plan's account: another account never sees them. Its
 * reads then run as always, and the ones that wait on others (an admin group's members, their MFA devices, a
 * budget's subscribers) find their answer there, received or on its way, instead of waiting a round trip for
 * each link of the chain. Every answer is live, read in this run; the plan only decides what is asked early. A
 * read it predicts that the run does not make (the account changed since) costs one call whose answer is not
 * used, and the next plan leaves it out.
 *
 * The plan holds what the reads name (the account id, user, group and budget names, alert thresholds), never
 * an answer or a secret. It is a private file under the user's cache directory, read only if nobody else could
 * have written it, and only these read operations are ever sent from it.
 */

/** Which client sends a planned read, and with which command. */
type Plannable = { client: 'iam' | 'sts' | 'budgets'; command: new (input: any) => any };

const CALLER = 'sts:GetCallerIdentity';

const PLANNABLE = new Map<string, Plannable>(Object.entries({
  'sts:GetCallerIdentity': { client: 'sts', command: GetCallerIdentityCommand },
  'iam:GetAccountPasswordPolicy': { client: 'iam', command: GetAccountPasswordPolicyCommand },
  'iam:GetAccountSummary': { client: 'iam', command: GetAccountSummaryCommand },
  'iam:GetGroup': { client: 'iam', command: GetGroupCommand },
  'iam:GetLoginProfile': { client: 'iam', command: GetLoginProfileCommand },
  'iam:GetPolicy': { client: 'iam', command: GetPolicyCommand },
  'iam:GetPolicyVersion': { client: 'iam', command: GetPolicyVersionCommand },
  'iam:GetUser': { client: 'iam', command: GetUserCommand },
  'iam:ListAccessKeys': { client: 'iam', command: ListAccessKeysCommand },
  'iam:ListAccountAliases': { client: 'iam', command: ListAccountAliasesCommand },
  'iam:ListAttachedGroupPolicies': { client: 'iam', command: ListAttachedGroupPoliciesCommand },
  'iam:ListAttachedUserPolicies': { client: 'iam', command: ListAttachedUserPoliciesCommand },
  'iam:ListEntitiesForPolicy': { client: 'iam', command: ListEntitiesForPolicyCommand },
  'iam:ListGroupsForUser': { client: 'iam', command: ListGroupsForUserCommand },
  'iam:ListMFADevices': { client: 'iam', command: ListMFADevicesCommand },
  'iam:ListPolicies': { client: 'iam', command: ListPoliciesCommand },
  'iam:ListPolicyVersions': { client: 'iam', command: ListPolicyVersionsCommand },
  'iam:ListVirtualMFADevices': { client: 'iam', command: ListVirtualMFADevicesCommand },
  'budgets:DescribeBudget': { client: 'budgets', command: DescribeBudgetCommand },
  'budgets:DescribeBudgets': { client: 'budgets', command: DescribeBudgetsCommand },
  'budgets:DescribeBudgetNotificationsForAccount': { client: 'budgets', command: DescribeBudgetNotificationsForAccountCommand },
  'budgets:DescribeNotificationsForBudget': { client: 'budgets', command: DescribeNotificationsForBudgetCommand },
  'budgets:DescribeSubscribersForNotification': { client: 'budgets', command: DescribeSubscribersForNotificationCommand },
} satisfies Record<string, Plannable>));

/** More than any run of today's steps makes (a few per admin user); a bigger plan is not one this CLI wrote. */
export const MAX_PLANNED_READS = 200;
export const MAX_PLAN_BYTES = 256 * 1024;
/** Continuation tokens expire: only first pages are planned. */
const PAGE_TOKENS = ['Marker', 'NextToken'];

export interface PlannedRead {
  /** `service:Operation`, e.g. `iam:GetGroup`. */
  call: string;
  input: Record<string, unknown>;
}

/**
 * A plan file: its reads, a hash of the access key id of the run that made it (not the key id itself), and the
 * account that run read.
 */
export interface Plan {
  reads: PlannedRead[];
  credential: string | undefined;
  account: string | undefined;
}

/** What a plan notes of the credentials that made it: one-way, so the file does not name the access key. */
export function credentialTag(accessKeyId: string): string {
  return createHash('sha256').update(`aws-bootstrap read plan\0${accessKeyId}`).digest('hex').slice(0, 16);
}

/** The account ids a read names (an AccountId, or an ARN's account field): none for most IAM reads. */
export function accountsNamed(input: Record<string, unknown>): string[] {
  return [...new Set(JSON.stringify(input).match(/(?<![0-9])[0-9]{12}(?![0-9])/g) ?? [])];
}

/** Parameters that carry a name from the account the plan was made in. */
const NAME_PARAMETERS = ['UserName', 'GroupName', 'BudgetName', 'SerialNumber'];

/** Whether a read names something of the account it was planned in: an account id, a user, group or budget. */
export function namesAccountData(input: Record<string, unknown>): boolean {
  return accountsNamed(input).length > 0 || NAME_PARAMETERS.some((k) => input[k] !== undefined);
}

/** One run's plan: how to keep this run's reads for the next, once the run is done. */
export interface ReadPlanSession {
  /**
   * Keeps this run's reads as the next run's plan (best effort: false when it could not be written), and stops
   * the reads sent ahead that are still waiting for an answer nobody asked for.
   */
  finish(): boolean;
  /** Stops the reads sent ahead that are still waiting, and keeps no plan: the run did not get to the end. */
  abort(): void;
}

/**
 * Sends the reads of the last plan for `command` with this profile, endpoint and region (none the first time;
 * with other credentials than that plan's, what names an account only once the caller's identity shows that
 * account) and returns the session that keeps this run's reads for the next one. Undefined without a plan directory,
 * without a read cache (the answers would have nowhere to go), or when the credentials do not resolve (the run's
 * own first call reports that). Resolves once the reads it sends are on the wire. Never rejects.
 */
export async function startReadPlan(
  command: string,
  clients: AwsClients,
  io: IoHost,
  dir: string | undefined,
): Promise<ReadPlanSession | undefined> {
  if (dir === undefined || !clients.cachesReads) return undefined;
  let accessKeyId: string;
  try {
    accessKeyId = await clients.accessKeyId();
  } catch {
    return undefined;
  }
  const file = join(dir, `${planKey([command, clients.endpoint ?? '', clients.region, clients.profile ?? ''])}.json`);
  const plan = parsePlanFile(readPrivateFile(file, MAX_PLAN_BYTES));
  const credential = credentialTag(accessKeyId);
  // The same access key is the same principal, so the same account: every read goes at once. Other credentials
  // may be another account's: what names something of the plan's account waits until the caller is that account.
  const sameCredentials = plan.credential === credential;
  const now = sameCredentials ? plan.reads : plan.reads.filter((r) => !namesAccountData(r.input));
  const later = sameCredentials ? [] : plan.reads.filter((r) => namesAccountData(r.input));
  const sentKeys = new Set<string>();
  // One controller per read: an AbortSignal with more than ten listeners makes Node print a leak warning.
  const controllers: AbortController[] = [];
  const stop = () => controllers.forEach((c) => c.abort());
  let stopped = false;
  /** Sends a planned read into the read cache; resolves once it is on the wire (or settled). */
  const sendAhead = (read: PlannedRead): Promise<unknown> | undefined => {
    const entry = PLANNABLE.get(read.call)!;
    const [service, operation] = read.call.split(':') as [string, string];
    // The run asked for it already (its first reads do not wait for the credentials): nothing to send ahead.
    if (clients.holdsRead(service, operation, read.input)) return undefined;
    sentKeys.add(readKey(service, operation, read.input));
    // A failure is the run's to see when it makes the read itself: the cache keeps no failed read but
    // "it does not exist", which is an answer.
    const settled = Promise.resolve()
      .then(() => {
        const controller = new AbortController();
        controllers.push(controller);
        return (clients[entry.client]() as Sender).send(new entry.command(structuredClone(read.input)), { abortSignal: controller.signal });
      })
      .catch(() => undefined);
    return Promise.race([clients.sent(read.call), settled]);
  };
  // The caller's identity through the read cache: check and init read it first thing in every run (and it is
  // in their plans), so this sends nothing more. Its account is what the next plan is kept for; with other
  // credentials it heads the longest chain, so it goes on the wire before the plan's other reads.
  let account: string | undefined;
  const controller = new AbortController();
  controllers.push(controller);
  const caller = Promise.resolve().then(() =>
    (clients.sts() as Sender).send(new GetCallerIdentityCommand({}), { abortSignal: controller.signal }),
  );
  const callerRead = caller.then(
    (answer) => {
      account = (answer as { Account?: string }).Account;
      if (stopped || account === undefined || account !== plan.account) return;
      for (const read of later) sendAhead(read);
    },
    () => undefined,
  );
  if (later.length > 0) await Promise.race([clients.sent(CALLER), callerRead]);
  const onTheWire = now.filter((r) => r.call !== CALLER).map(sendAhead);
  // Resolves once every read sent ahead is on the wire (or settled): work that does not need them comes after.
  await Promise.all(onTheWire);
  if (plan.reads.length > 0) {
    io.debug(
      `read plan: ${plan.reads.length} reads the last ${command} run made, ${sentKeys.size} sent ahead now` +
        (later.length > 0 ? `, ${later.length} once the caller's identity shows the plan's account (other credentials)` : ''),
    );
  }
  const end = () => {
    stopped = true;
    stop();
  };
  return {
    abort: end,
    finish() {
      const reads = readsToPlan(clients.readsAsked(), sentKeys);
      end();
      const saved = writePrivateFile(file, Buffer.from(JSON.stringify({ version: 1, credential, account, reads })));
      if (saved) pruneOldPlans(dir, file);
      return saved;
    },
  };
}

type Sender = { send(command: unknown, options: { abortSignal: AbortSignal }): Promise<unknown> };

/** Plans not used for a month (a profile, endpoint or region no longer used): removed. */
const PLAN_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

function pruneOldPlans(dir: string, keep: string): void {
  try {
    const now = Date.now();
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (path === keep || !/\.(json|tmp)$/.test(name)) continue;
      if (now - lstatSync(path).mtimeMs > PLAN_LIFETIME_MS) rmSync(path, { force: true });
    }
  } catch {
    // nothing to prune
  }
}

/** The reads this run asked for itself (not only sent ahead from a plan), first pages only, in the order asked. */
export function readsToPlan(asked: readonly AskedRead[], sentAhead: ReadonlySet<string>): PlannedRead[] {
  return asked
    .filter((r) => r.asks > (sentAhead.has(readKey(r.service, r.operation, r.input)) ? 1 : 0))
    .map((r) => ({ call: `${r.service}:${r.operation}`, input: r.input }))
    .filter((r) => PLANNABLE.has(r.call) && !PAGE_TOKENS.some((t) => r.input[t] !== undefined))
    .slice(0, MAX_PLANNED_READS);
}

/**
 * The plan's reads, each once, or none at all when the file is missing, too big, not a plan this CLI writes, or
 * names a read not in PLANNABLE or a page after the first.
 */
export function parsePlan(data: Buffer | undefined): PlannedRead[] {
  return parsePlanFile(data).reads;
}

/** The plan's reads (as `parsePlan`) and the tag of the credentials that made it, if the file has a valid one. */
export function parsePlanFile(data: Buffer | undefined): Plan {
  const none: Plan = { reads: [], credential: undefined, account: undefined };
  if (data === undefined || data.length > MAX_PLAN_BYTES) return none;
  let plan: unknown;
  try {
    plan = JSON.parse(data.toString('utf8'));
  } catch {
    return none;
  }
  if (!isObject(plan) || plan.version !== 1 || !Array.isArray(plan.reads) || plan.reads.length > MAX_PLANNED_READS) return none;
  const reads = new Map<string, PlannedRead>();
  for (const r of plan.reads as unknown[]) {
    if (!isObject(r) || typeof r.call !== 'string' || !PLANNABLE.has(r.call) || !isObject(r.input)) return none;
    if (PAGE_TOKENS.some((t) => (r.input as Record<string, unknown>)[t] !== undefined)) return none;
    const [service, operation] = r.call.split(':') as [string, string];
    reads.set(readKey(service, operation, r.input), { call: r.call, input: r.input });
  }
  const credential = typeof plan.credential === 'string' && /^[0-9a-f]{16}$/.test(plan.credential) ? plan.credential : undefined;
  const account = typeof plan.account === 'string' && /^[0-9]{12}$/.test(plan.account) ? plan.account : undefined;
  return { reads: [...reads.values()], credential, account };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The plan's file name: a hash, so the profile and the endpoint are not in the name. */
function planKey(parts: string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}
