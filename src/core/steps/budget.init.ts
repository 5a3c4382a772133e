import { describeChange } from '../init/journal.js';
import {
  CreateBudgetCommand,
  CreateNotificationCommand,
  CreateSubscriberCommand,
  DescribeBudgetCommand,
  UpdateBudgetCommand,
  type Budget,
  type Notification,
} from '@aws-sdk/client-budgets';
import { namedCall } from '../aws/aws-error.js';
import { absentIfNotFound, isAwsErrorNamed } from '../aws/aws-error-names.js';
import type { AwsClients } from '../aws/client-factory.js';
import { BootstrapError } from '../errors.js';
import type { Change } from '../init/init-report.js';
import { isMonthlyCostBudget, readNotifications, readSubscribers, toBudgetState } from '../state/account-reader.js';
import type { BudgetNotification, BudgetState } from '../state/account-state.js';
import type { InitContext, PrefetchContext, StepInit, StepOutcome } from './step.js';

export const DEFAULT_BUDGET_NAME = 'monthly-cost-budget';
export const SUGGESTED_AMOUNT = '10';
export const DEFAULT_THRESHOLD = 80;
/** Budgets allows up to 10 EMAIL subscribers (and 1 SNS topic) a notification. */
export const MAX_EMAIL_SUBSCRIBERS = 10;

/** What the person asked for: a MONTHLY COST budget of `amount` USD, alerting `emails` at ACTUAL > threshold %. */
export interface DesiredBudget {
  name: string;
  amount: number;
  emails: string[];
  threshold: number;
}

// --- validation (before any AWS call) ----------------------------------------------------------------------

const DECIMAL = /^\d+(\.\d{1,2})?$/;
const EMAIL = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>".]+$/;

/** USD a month: a number above 0 with at most 2 decimals (cents). */
export function validateAmount(value: string): string | true {
  const v = value.trim();
  if (!DECIMAL.test(v)) return 'Give an amount in USD, e.g. 10 or 12.50 (digits, at most 2 decimals).';
  return Number(v) > 0 ? true : 'The amount must be more than 0.';
}

/** Comma-separated addresses, trimmed, empty entries dropped, each address once (compared without case). */
export function parseEmails(value: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of value.split(',')) {
    const email = raw.trim();
    if (email === '' || seen.has(email.toLowerCase())) continue;
    seen.add(email.toLowerCase());
    out.push(email);
  }
  return out;
}

export function validateEmails(value: string): string | true {
  const emails = parseEmails(value);
  if (emails.length === 0) return 'Give at least one email address (several: separate them with commas).';
  if (emails.length > MAX_EMAIL_SUBSCRIBERS) {
    return `At most ${MAX_EMAIL_SUBSCRIBERS} addresses: AWS Budgets sends an alert to up to ${MAX_EMAIL_SUBSCRIBERS} emails.`;
  }
  const bad = emails.filter((e) => !EMAIL.test(e));
  return bad.length === 0 ? true : `Not an email address: ${bad.join(', ')}`;
}

/** Percent of the budget at which the alert fires: 1 to 1000 (above 100 warns only after overspending). */
export function validateThreshold(value: string): string | true {
  const v = value.trim();
  if (!DECIMAL.test(v)) return 'Give a percentage, e.g. 80 (digits, at most 2 decimals).';
  const n = Number(v);
  return n >= 1 && n <= 1000 ? true : 'The percentage must be between 1 and 1000.';
}

/** AWS's rule for budget names (CreateBudget): 1-100 characters, no ":" or "\", and never "/action/". */
export function validateBudgetName(value: string): string | true {
  if (value.length === 0 || value.length > 100) return 'A budget name has 1 to 100 characters.';
  if (/[:\\]/.test(value)) return 'A budget name cannot contain ":" or "\\".';
  if (value.includes('/action/')) return 'A budget name cannot contain "/action/".';
  return true;
}

// --- pure plan ------------------------------------------------------------------------------------------------

const cents = (n: number) => Math.round(n * 100);

export function formatAmount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

function alertLabel(n: Pick<BudgetNotification, 'notificationType' | 'threshold' | 'thresholdType'>): string {
  return `${n.notificationType} > ${n.threshold}${n.thresholdType === 'PERCENTAGE' ? '%' : ''}`;
}

/** The alert this step makes: ACTUAL spend GREATER_THAN threshold PERCENTAGE of the limit. */
export function desiredNotification(threshold: number): Notification {
  return { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: threshold, ThresholdType: 'PERCENTAGE' };
}

/** The notification AWS would consider the same as ours (type, operator, threshold, threshold type). */
export function findAlert(current: BudgetState, threshold: number): BudgetNotification | undefined {
  return current.notifications.find(
    (n) =>
      n.notificationType === 'ACTUAL' &&
      n.comparisonOperator === 'GREATER_THAN' &&
      n.thresholdType === 'PERCENTAGE' &&
      n.threshold === threshold,
  );
}

function emailsOf(n: BudgetNotification | undefined): string[] {
  return (n?.subscribers ?? []).filter((s) => s.type === 'EMAIL').map((s) => s.address);
}

/** Why a budget of this name cannot become the one asked for, or undefined when it can. */
export function incompatibility(current: BudgetState): string | undefined {
  if (isMonthlyCostBudget(current)) return undefined;
  return (
    `A budget named "${current.name}" exists but is a ${current.timeUnit} ${current.budgetType} budget. aws-bootstrap ` +
    'does not change what an existing budget tracks (its type and period): choose another name.'
  );
}

export interface BudgetPlan {
  createBudget: boolean;
  updateLimit: boolean;
  createNotification: boolean;
  /** Asked-for addresses the alert does not have yet; subscribers not asked for are left alone. */
  addSubscribers: string[];
  /** In the order they are applied. */
  changes: Change[];
}

/** Pure: what turns `current` (undefined when absent; otherwise a MONTHLY COST budget) into `desired`. */
export function planBudget(current: BudgetState | undefined, desired: DesiredBudget): BudgetPlan {
  const target = `budgets:budget/${desired.name}`;
  const alert = `ACTUAL > ${desired.threshold}%`;
  const limit = `${formatAmount(desired.amount)} USD a month`;
  if (current === undefined) {
    return {
      createBudget: true,
      updateLimit: false,
      createNotification: false,
      addSubscribers: [],
      changes: [
        { action: 'create', target, detail: `MONTHLY COST, ${limit}; alert at ${alert} to ${desired.emails.join(', ')}` },
      ],
    };
  }
  const changes: Change[] = [];
  const updateLimit =
    current.limit === undefined || current.limit.unit !== 'USD' || cents(current.limit.amount) !== cents(desired.amount);
  if (updateLimit) {
    const from = current.limit ? `${formatAmount(current.limit.amount)} ${current.limit.unit}` : 'no fixed limit';
    changes.push({ action: 'update', target, detail: `limit ${from} -> ${limit}` });
  }
  const existing = findAlert(current, desired.threshold);
  const notificationTarget = `${target}/notification`;
  let addSubscribers: string[] = [];
  if (existing === undefined) {
    changes.push({ action: 'create', target: notificationTarget, detail: `alert at ${alert} to ${desired.emails.join(', ')}` });
  } else {
    const have = new Set(emailsOf(existing).map((e) => e.toLowerCase()));
    addSubscribers = desired.emails.filter((e) => !have.has(e.toLowerCase()));
    for (const email of addSubscribers) {
      changes.push({ action: 'add', target: notificationTarget, detail: `subscriber ${email} to the ${alert} alert` });
    }
  }
  return { createBudget: false, updateLimit, createNotification: existing === undefined, addSubscribers, changes };
}

/** Pure: the existing budget next to what was asked for, for the person to compare before anything changes. */
export function describeBudgetComparison(current: BudgetState, desired: DesiredBudget): string {
  const alert = findAlert(current, desired.threshold);
  const others = current.notifications.filter((n) => n !== alert).map(alertLabel);
  const rows: [string, string, string][] = [
    ['', 'now', 'asked for'],
    [
      'limit',
      current.limit ? `${formatAmount(current.limit.amount)} ${current.limit.unit} a month` : 'no fixed limit',
      `${formatAmount(desired.amount)} USD a month`,
    ],
    ['alert', alert ? alertLabel(alert) : `none at ACTUAL > ${desired.threshold}%`, `ACTUAL > ${desired.threshold}%`],
    ['emails', alert ? emailsOf(alert).join(', ') || '(none)' : '-', desired.emails.join(', ')],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const lines = [`The budget "${current.name}" exists:`];
  for (const [label, now, asked] of rows) lines.push(`  ${label.padEnd(w0)}  ${now.padEnd(w1)}  ${asked}`.trimEnd());
  if (others.length > 0) lines.push(`Its other alerts are kept: ${others.join(', ')}.`);
  if (alert && emailsOf(alert).some((e) => !desired.emails.some((d) => d.toLowerCase() === e.toLowerCase()))) {
    lines.push('Subscribers you did not list are kept.');
  }
  return lines.join('\n');
}

// --- AWS ------------------------------------------------------------------------------------------------------

interface CurrentBudget {
  state: BudgetState;
  /** As DescribeBudget returned it: UpdateBudget replaces the whole budget, so the rest is sent back unchanged. */
  raw: Budget;
}

/** A fresh read of one budget with its notifications and their subscribers; undefined when there is none. */
async function readBudget(clients: AwsClients, accountId: string, name: string): Promise<CurrentBudget | undefined> {
  const client = clients.budgets();
  // The budget and its notifications side by side: both need only the name (NotFound from either: no budget).
  const [out, notifications] = await Promise.all([
    absentIfNotFound(
      namedCall('budgets:DescribeBudget', () => client.send(new DescribeBudgetCommand({ AccountId: accountId, BudgetName: name }))),
    ),
    absentIfNotFound(readNotifications(clients, accountId, name)),
  ]);
  const raw = out?.Budget;
  if (!raw) return undefined;
  const state: BudgetState = { ...toBudgetState(raw), name: raw.BudgetName ?? name };
  if (isMonthlyCostBudget(state)) state.notifications = notifications ?? [];
  return { state, raw };
}

/** Applies the plan call by call, recording each write as it succeeds. */
async function applyPlan(
  context: InitContext,
  accountId: string,
  current: CurrentBudget | undefined,
  desired: DesiredBudget,
  plan: BudgetPlan,
  applied: Change[],
): Promise<void> {
  const client = context.clients.budgets();
  const notification = desiredNotification(desired.threshold);
  const subscribers = (emails: string[]) => emails.map((Address) => ({ SubscriptionType: 'EMAIL' as const, Address }));
  const done = (change: Change | undefined) => {
    if (!change) return;
    context.record(change);
    applied.push(change);
  };
  const changes = [...plan.changes];
  const limit = { Amount: formatAmount(desired.amount), Unit: 'USD' };

  if (plan.createBudget) {
    await namedCall('budgets:CreateBudget', () =>
      client.send(
        new CreateBudgetCommand({
          AccountId: accountId,
          Budget: { BudgetName: desired.name, BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: limit },
          NotificationsWithSubscribers: [{ Notification: notification, Subscribers: subscribers(desired.emails) }],
        }),
      ),
    );
    done(changes.shift());
    return;
  }
  if (plan.updateLimit && current) {
    // Everything else about the budget (cost types, filters, period) is sent back as it was; what AWS computes
    // is left out, and per-period planned limits give way to the one fixed limit.
    const { CalculatedSpend: _spend, LastUpdatedTime: _updated, PlannedBudgetLimits: _planned, ...rest } = current.raw;
    await namedCall('budgets:UpdateBudget', () =>
      client.send(new UpdateBudgetCommand({ AccountId: accountId, NewBudget: { ...rest, BudgetName: desired.name, BudgetLimit: limit } })),
    );
    done(changes.shift());
  }
  if (plan.createNotification) {
    await namedCall('budgets:CreateNotification', () =>
      client.send(
        new CreateNotificationCommand({
          AccountId: accountId,
          BudgetName: desired.name,
          Notification: notification,
          Subscribers: subscribers(desired.emails),
        }),
      ),
    );
    done(changes.shift());
  }
  for (const email of plan.addSubscribers) {
    await namedCall('budgets:CreateSubscriber', () =>
      client.send(
        new CreateSubscriberCommand({
          AccountId: accountId,
          BudgetName: desired.name,
          Notification: notification,
          Subscriber: { SubscriptionType: 'EMAIL', Address: email },
        }),
      ),
    );
    done(changes.shift());
  }
}

/** What a fresh read must show after the writes; throws naming what is missing. */
function verify(after: CurrentBudget | undefined, desired: DesiredBudget, limitApplied: boolean): void {
  const problems: string[] = [];
  if (!after) problems.push('the budget does not exist');
  else {
    if (!isMonthlyCostBudget(after.state)) problems.push(`it is ${after.state.timeUnit} ${after.state.budgetType}`);
    const limit = after.state.limit;
    if (limitApplied && (!limit || limit.unit !== 'USD' || cents(limit.amount) !== cents(desired.amount))) {
      problems.push(`its limit is ${limit ? `${limit.amount} ${limit.unit}` : 'missing'}`);
    }
    const alert = findAlert(after.state, desired.threshold);
    if (!alert) problems.push(`it has no ACTUAL > ${desired.threshold}% alert`);
    else {
      const have = new Set(emailsOf(alert).map((e) => e.toLowerCase()));
      const missing = desired.emails.filter((e) => !have.has(e.toLowerCase()));
      if (missing.length > 0) problems.push(`its alert does not go to ${missing.join(', ')}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Re-reading the budget "${desired.name}" after the changes: ${problems.join('; ')}.`);
  }
}

/** Rounds of "someone else just made it: read again and carry on". */
const MAX_APPLY_ROUNDS = 3;

export const budgetInit: StepInit = {
  why:
    'AWS bills by use, with no spending cap. A monthly budget emails you when the month\'s costs pass a share of an ' +
    'amount you choose, so a forgotten resource or a leaked key shows up in days, not on the next bill.',
  prefetch(context: PrefetchContext) {
    const name = context.io.knownAnswer?.('budget.name');
    if (name === undefined) return context.reader.read('budgetList');
    if (validateBudgetName(name) !== true) return Promise.resolve();
    // The subscribers of the alert the config asks for go out with the budget and its notifications, not after
    // them: if the budget has that alert, readBudget then finds them read (and if not, the answer is unused).
    const threshold = context.io.knownAnswer?.('budget.threshold');
    const alert = threshold !== undefined && validateThreshold(threshold) === true ? desiredNotification(Number(threshold.trim())) : undefined;
    return context.reader.read('caller').then(({ accountId }) =>
      Promise.all([
        readBudget(context.clients, accountId, name),
        alert && readSubscribers(context.clients, accountId, name, alert),
      ]),
    );
  },
  async run(context: InitContext): Promise<StepOutcome> {
    const { clients, io } = context;
    const { accountId } = await context.reader.read('caller');

    // An existing monthly cost budget (made in the console, say) is the natural one to keep: offer its name.
    // A config file always names the budget (the default name when it gives none): nothing to offer then.
    const monthly =
      io.knownAnswer?.('budget.name') === undefined ? (await context.reader.read('budgetList')).filter(isMonthlyCostBudget) : [];
    if (monthly.length > 0) io.info(`Monthly cost budgets in this account: ${monthly.map((b) => b.name).join(', ')}.`);

    const rejected = new Map<string, string>();
    let name: string;
    let current: CurrentBudget | undefined;
    for (;;) {
      name = await io.text({
        id: 'budget.name',
        message: 'Budget name',
        default: monthly[0]?.name ?? DEFAULT_BUDGET_NAME,
        validate: (value) => rejected.get(value) ?? validateBudgetName(value),
      });
      current = await readBudget(clients, accountId, name);
      const problem = current && incompatibility(current.state);
      if (!problem) break;
      io.warn(problem);
      rejected.set(name, problem);
    }

    const existingAlert = current?.state.notifications.find(
      (n) => n.notificationType === 'ACTUAL' && n.comparisonOperator === 'GREATER_THAN' && n.thresholdType === 'PERCENTAGE',
    );
    const currentLimit = current?.state.limit;
    const amount = await io.text({
      id: 'budget.amount',
      message: 'Monthly budget in USD (you get an email as costs approach it)',
      default: currentLimit?.unit === 'USD' ? formatAmount(currentLimit.amount) : SUGGESTED_AMOUNT,
      validate: validateAmount,
    });
    const existingEmails = emailsOf(existingAlert).join(', ');
    const emails = await io.text({
      id: 'budget.emails',
      message: 'Email addresses for the alert (comma-separated, up to 10)',
      ...(existingEmails ? { default: existingEmails } : {}),
      validate: validateEmails,
    });
    const threshold = await io.text({
      id: 'budget.threshold',
      message: 'Alert when actual costs pass this percentage of the budget',
      default: String(existingAlert?.threshold ?? DEFAULT_THRESHOLD),
      validate: validateThreshold,
    });
    const desired: DesiredBudget = {
      name,
      amount: Number(amount.trim()),
      emails: parseEmails(emails),
      threshold: Number(threshold.trim()),
    };

    const applied: Change[] = [];
    let createdByUs = false;
    for (let round = 1; ; round += 1) {
      let plan = planBudget(current?.state, desired);
      if (plan.changes.length === 0) {
        if (applied.length === 0) io.info(`The budget "${name}" already is what you asked for.`);
        break;
      }
      if (current) io.info(describeBudgetComparison(current.state, desired));
      if (context.dryRun) return { status: 'planned', changes: plan.changes };

      if (current) {
        const alert = findAlert(current.state, desired.threshold);
        const emailCount = new Set([...emailsOf(alert), ...plan.addSubscribers].map((e) => e.toLowerCase())).size;
        if (emailCount > MAX_EMAIL_SUBSCRIBERS) {
          throw new BootstrapError(
            'AWS_ERROR',
            `The ACTUAL > ${desired.threshold}% alert of "${name}" would have ${emailCount} email subscribers; AWS ` +
              `allows ${MAX_EMAIL_SUBSCRIBERS}. Remove some in the Billing console (Budgets), or list fewer addresses.`,
          );
        }
      }
      const additions = plan.changes.filter((c) => c.action !== 'update');
      if (additions.length > 0) {
        io.info(`Planned changes:\n${additions.map((c) => `  - ${describeChange(c)}`).join('\n')}`);
        const ok = await io.confirm({
          id: 'budget.confirm',
          message: plan.createBudget ? `Create the budget "${name}"?` : `Add the missing alert settings to "${name}"?`,
          default: true,
        });
        if (!ok) return { status: 'skipped', changes: applied };
      }
      if (plan.updateLimit) {
        const ok = await io.confirm({
          id: 'budget.update',
          message: `Change the limit of "${name}" to ${formatAmount(desired.amount)} USD a month?`,
          default: false,
        });
        if (!ok) {
          plan = { ...plan, updateLimit: false, changes: plan.changes.filter((c) => c.action !== 'update') };
          if (plan.changes.length === 0) return { status: 'skipped', changes: applied };
        }
      }
      try {
        await applyPlan(context, accountId, current, desired, plan, applied);
        createdByUs ||= plan.createBudget;
      } catch (error) {
        // Made by someone else between our read and our write: read again and carry on from there.
        if (!isAwsErrorNamed(error, 'DuplicateRecord') || round >= MAX_APPLY_ROUNDS) throw error;
        io.warn(`Someone else changed the budget "${name}" just now: reading it again.`);
        current = await readBudget(clients, accountId, name);
        const problem = current && incompatibility(current.state);
        if (problem) throw new BootstrapError('AWS_ERROR', problem);
        continue;
      }
      const after = await readBudget(clients, accountId, name);
      verify(after, desired, plan.createBudget || plan.updateLimit);
      break;
    }
    if (applied.length === 0) return { status: 'unchanged', changes: [] };
    io.info(
      `Budget "${name}": ${formatAmount(desired.amount)} USD a month; an email goes to ${desired.emails.join(', ')} ` +
        `when actual costs pass ${desired.threshold}%.`,
    );
    return { status: createdByUs ? 'created' : 'updated', changes: applied };
  },
};
