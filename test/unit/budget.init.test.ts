import {
  BudgetsClient,
  CreateBudgetCommand,
  CreateNotificationCommand,
  CreateSubscriberCommand,
  DescribeBudgetCommand,
  DescribeBudgetsCommand,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
  UpdateBudgetCommand,
  type Budget,
} from '@aws-sdk/client-budgets';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '../../src/core/aws/client-factory.js';
import type { BudgetState } from '../../src/core/state/account-state.js';
import {
  describeBudgetComparison,
  incompatibility,
  parseEmails,
  planBudget,
  validateAmount,
  validateBudgetName,
  validateEmails,
  validateThreshold,
  type DesiredBudget,
} from '../../src/core/steps/budget.init.js';
import { RecordingIoHost } from '../support/recording-io-host.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';

const ACCOUNT = '111122223333';

const desired = (over: Partial<DesiredBudget> = {}): DesiredBudget => ({
  name: 'monthly-cost-budget',
  amount: 10,
  emails: ['ops@example.com'],
  threshold: 80,
  ...over,
});

const alert = (emails: string[], over: Partial<BudgetState['notifications'][number]> = {}) => ({
  notificationType: 'ACTUAL',
  comparisonOperator: 'GREATER_THAN',
  threshold: 80,
  thresholdType: 'PERCENTAGE',
  subscribers: emails.map((address) => ({ type: 'EMAIL', address })),
  ...over,
});

const existing = (over: Partial<BudgetState> = {}): BudgetState => ({
  name: 'monthly-cost-budget',
  budgetType: 'COST',
  timeUnit: 'MONTHLY',
  limit: { amount: 10, unit: 'USD' },
  notifications: [alert(['ops@example.com'])],
  ...over,
});

describe('budget validators', () => {
  it('amount: a number above 0 with at most 2 decimals', () => {
    expect(validateAmount('10')).toBe(true);
    expect(validateAmount(' 12.50 ')).toBe(true);
    expect(validateAmount('0.01')).toBe(true);
    expect(validateAmount('0')).toBe('The amount must be more than 0.');
    expect(validateAmount('0.00')).toBe('The amount must be more than 0.');
    for (const bad of ['', 'ten', '10.123', '-5', '1e3', '$10', '10,5']) expect(validateAmount(bad)).toMatch(/at most 2 decimals/);
  });

  it('emails: 1 to 10 valid addresses, comma-separated', () => {
    expect(parseEmails(' a@example.com, ,b@example.org,A@example.com ')).toEqual(['a@example.com', 'b@example.org']);
    expect(validateEmails('a@example.com, b@example.org')).toBe(true);
    expect(validateEmails(' , ')).toMatch(/at least one/);
    expect(validateEmails('a@example.com, not-an-address, c@d')).toBe('Not an email address: not-an-address, c@d');
    const eleven = Array.from({ length: 11 }, (_, i) => `u${i}@example.com`).join(',');
    expect(validateEmails(eleven)).toMatch(/^At most 10 addresses/);
    expect(validateEmails(Array.from({ length: 10 }, (_, i) => `u${i}@example.com`).join(','))).toBe(true);
  });

  it('threshold: a percentage from 1 to 1000', () => {
    expect(validateThreshold('80')).toBe(true);
    expect(validateThreshold('1')).toBe(true);
    expect(validateThreshold('1000')).toBe(true);
    expect(validateThreshold('99.5')).toBe(true);
    expect(validateThreshold('0')).toMatch(/between 1 and 1000/);
    expect(validateThreshold('1000.01')).toMatch(/between 1 and 1000/);
    expect(validateThreshold('80%')).toMatch(/percentage/);
  });

  it('name: AWS’s rule (1-100 characters, no ":" or "\\", no "/action/")', () => {
    expect(validateBudgetName('monthly-cost-budget')).toBe(true);
    expect(validateBudgetName('My Monthly Cost Budget')).toBe(true);
    expect(validateBudgetName('')).toMatch(/1 to 100/);
    expect(validateBudgetName('x'.repeat(101))).toMatch(/1 to 100/);
    expect(validateBudgetName('a:b')).toMatch(/cannot contain/);
    expect(validateBudgetName('a\\b')).toMatch(/cannot contain/);
    expect(validateBudgetName('a/action/b')).toMatch(/\/action\//);
  });
});

describe('planBudget', () => {
  it('creates the whole budget, alert included, when there is none', () => {
    const plan = planBudget(undefined, desired({ emails: ['a@example.com', 'b@example.com'], amount: 12.5 }));
    expect(plan).toMatchObject({ createBudget: true, updateLimit: false, createNotification: false, addSubscribers: [] });
    expect(plan.changes).toEqual([
      {
        action: 'create',
        target: 'budgets:budget/monthly-cost-budget',
        detail: 'MONTHLY COST, 12.50 USD a month; alert at ACTUAL > 80% to a@example.com, b@example.com',
      },
    ]);
  });

  it('plans nothing for a budget that already matches (10 and 10.0 are the same amount)', () => {
    expect(planBudget(existing({ limit: { amount: 10.0, unit: 'USD' } }), desired()).changes).toEqual([]);
  });

  it('updates the limit when the amount or unit differs', () => {
    const plan = planBudget(existing({ limit: { amount: 25, unit: 'USD' } }), desired());
    expect(plan.updateLimit).toBe(true);
    expect(plan.changes).toEqual([
      { action: 'update', target: 'budgets:budget/monthly-cost-budget', detail: 'limit 25 USD -> 10 USD a month' },
    ]);
    expect(planBudget(existing({ limit: { amount: 10, unit: 'EUR' } }), desired()).updateLimit).toBe(true);
    expect(planBudget(existing({ limit: undefined }), desired()).changes[0]!.detail).toBe('limit no fixed limit -> 10 USD a month');
  });

  it('creates the notification when no ACTUAL > threshold % alert exists, leaving other alerts alone', () => {
    const plan = planBudget(existing({ notifications: [alert(['x@example.com'], { threshold: 100, notificationType: 'FORECASTED' })] }), desired());
    expect(plan.createNotification).toBe(true);
    expect(plan.addSubscribers).toEqual([]);
    expect(plan.changes).toEqual([
      { action: 'create', target: 'budgets:budget/monthly-cost-budget/notification', detail: 'alert at ACTUAL > 80% to ops@example.com' },
    ]);
    // Same type and operator, another threshold: not the same notification either.
    expect(planBudget(existing({ notifications: [alert(['ops@example.com'], { threshold: 90 })] }), desired()).createNotification).toBe(true);
  });

  it('adds only the missing subscribers (compared without case) and keeps the extra ones', () => {
    const current = existing({ notifications: [alert(['OPS@example.com', 'extra@example.com'])] });
    const plan = planBudget(current, desired({ emails: ['ops@example.com', 'new@example.com'] }));
    expect(plan.createNotification).toBe(false);
    expect(plan.addSubscribers).toEqual(['new@example.com']);
    expect(plan.changes).toEqual([
      {
        action: 'add',
        target: 'budgets:budget/monthly-cost-budget/notification',
        detail: 'subscriber new@example.com to the ACTUAL > 80% alert',
      },
    ]);
  });

  it('refuses to repurpose a budget that is not MONTHLY COST', () => {
    expect(incompatibility(existing())).toBeUndefined();
    expect(incompatibility(existing({ name: 'usage', timeUnit: 'DAILY', budgetType: 'USAGE' }))).toBe(
      'A budget named "usage" exists but is a DAILY USAGE budget. aws-bootstrap does not change what an existing budget ' +
        'tracks (its type and period): choose another name.',
    );
  });

  it('shows the existing budget next to what was asked for', () => {
    const current = existing({
      limit: { amount: 25, unit: 'USD' },
      notifications: [alert(['ops@example.com', 'extra@example.com']), alert([], { notificationType: 'FORECASTED', threshold: 100 })],
    });
    expect(describeBudgetComparison(current, desired({ emails: ['ops@example.com', 'me@example.com'] }))).toBe(
      [
        'The budget "monthly-cost-budget" exists:',
        '          now                                 asked for',
        '  limit   25 USD a month                      10 USD a month',
        '  alert   ACTUAL > 80%                        ACTUAL > 80%',
        '  emails  ops@example.com, extra@example.com  ops@example.com, me@example.com',
        'Its other alerts are kept: FORECASTED > 100%.',
        'Subscribers you did not list are kept.',
      ].join('\n'),
    );
    expect(describeBudgetComparison(existing({ notifications: [] }), desired({ threshold: 50 }))).toContain(
      '  alert   none at ACTUAL > 50%  ACTUAL > 50%',
    );
  });
});

// --- AWS answers moto cannot be made to give ------------------------------------------------------------------

const budgets = mockClient(BudgetsClient);
const sts = mockClient(STSClient);

function awsError(name: string, message: string) {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

const rawBudget = (over: Partial<Budget> = {}): Budget => ({
  BudgetName: 'monthly-cost-budget',
  BudgetType: 'COST',
  TimeUnit: 'MONTHLY',
  BudgetLimit: { Amount: '10.0', Unit: 'USD' },
  ...over,
});
const notification80 = { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80, ThresholdType: 'PERCENTAGE' } as const;

let clients: AwsClients;
beforeEach(async () => {
  budgets.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/admin` });
  budgets.on(DescribeBudgetsCommand).resolves({ Budgets: [] });
  clients = await createAwsClients({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }, new RecordingIoHost());
});

const answers = { 'budget.name': 'monthly-cost-budget', 'budget.amount': '10', 'budget.emails': 'ops@example.com', 'budget.threshold': '80', 'budget.confirm': true };
type Result = Awaited<ReturnType<typeof runSteps>>;
const stepOf = (result: Result) => result.report.steps.find((s) => s.id === 'budget')!;
const writes = () =>
  budgets
    .calls()
    .map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ''))
    .filter((name) => !/^Describe/.test(name));

describe('budget init against AWS behaviour moto cannot show', () => {
  it('treats DuplicateRecordException on CreateBudget as "someone else made it": re-reads and only adds what is missing', async () => {
    budgets
      .on(DescribeBudgetCommand)
      .rejectsOnce(awsError('NotFoundException', "Unable to get budget: monthly-cost-budget - the budget doesn't exist."))
      .resolves({ Budget: rawBudget() });
    budgets.on(CreateBudgetCommand).rejects(awsError('DuplicateRecordException', 'Error creating budget: the budget already exists.'));
    // While the budget is missing, its notifications are NotFound as well (AWS answers both reads that way).
    budgets
      .on(DescribeNotificationsForBudgetCommand)
      .rejectsOnce(awsError('NotFoundException', "Unable to get budget: monthly-cost-budget - the budget doesn't exist."))
      .resolves({ Notifications: [notification80] });
    budgets
      .on(DescribeSubscribersForNotificationCommand)
      .resolvesOnce({ Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'someone@example.com' }] })
      .resolves({
        Subscribers: [
          { SubscriptionType: 'EMAIL', Address: 'someone@example.com' },
          { SubscriptionType: 'EMAIL', Address: 'ops@example.com' },
        ],
      });
    budgets.on(CreateSubscriberCommand).resolves({});
    const io = new ScriptedIoHost(answers);

    const result = await runSteps(clients, io, 'budget');

    expect(stepOf(result)).toEqual({
      id: 'budget',
      status: 'updated',
      changes: [
        { action: 'add', target: 'budgets:budget/monthly-cost-budget/notification', detail: 'subscriber ops@example.com to the ACTUAL > 80% alert' },
      ],
    });
    expect(writes()).toEqual(['CreateBudget', 'CreateSubscriber']);
    expect(io.messages('warn')).toEqual(['Someone else changed the budget "monthly-cost-budget" just now: reading it again.']);
    // Budgets is global: the client targets us-east-1 whatever the run's region.
    expect(await clients.budgets().config.region()).toBe('us-east-1');
  });

  it('is unchanged when the budget someone else just made is exactly the one asked for', async () => {
    budgets
      .on(DescribeBudgetCommand)
      .rejectsOnce(awsError('NotFoundException', 'not found'))
      .resolves({ Budget: rawBudget() });
    budgets.on(CreateBudgetCommand).rejects(awsError('DuplicateRecordException', 'exists'));
    budgets.on(DescribeNotificationsForBudgetCommand).resolves({ Notifications: [notification80] });
    budgets.on(DescribeSubscribersForNotificationCommand).resolves({ Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'ops@example.com' }] });

    const result = await runSteps(clients, new ScriptedIoHost(answers), 'budget');

    expect(stepOf(result)).toEqual({ id: 'budget', status: 'unchanged', changes: [] });
    expect(writes()).toEqual(['CreateBudget']);
  });

  it('sends the rest of the budget back unchanged on UpdateBudget (AWS replaces the whole budget)', async () => {
    const filters = { Service: ['Amazon Elastic Compute Cloud - Compute'] };
    const costTypes = { IncludeTax: false, IncludeCredit: true };
    const spend = { ActualSpend: { Amount: '3', Unit: 'USD' } };
    budgets
      .on(DescribeBudgetCommand)
      .resolvesOnce({
        Budget: rawBudget({ BudgetLimit: { Amount: '25.0', Unit: 'USD' }, CostFilters: filters, CostTypes: costTypes, CalculatedSpend: spend }),
      })
      .resolves({ Budget: rawBudget() });
    budgets.on(DescribeNotificationsForBudgetCommand).resolves({ Notifications: [notification80] });
    budgets.on(DescribeSubscribersForNotificationCommand).resolves({ Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'ops@example.com' }] });
    budgets.on(UpdateBudgetCommand).resolves({});
    const io = new ScriptedIoHost({ ...answers, 'budget.update': true });

    const result = await runSteps(clients, io, 'budget');

    expect(stepOf(result).status).toBe('updated');
    const sent = budgets.commandCalls(UpdateBudgetCommand)[0]!.args[0].input;
    expect(sent.AccountId).toBe(ACCOUNT);
    expect(sent.NewBudget).toEqual({
      BudgetName: 'monthly-cost-budget',
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      BudgetLimit: { Amount: '10', Unit: 'USD' },
      CostFilters: filters,
      CostTypes: costTypes,
    });
  });

  it('fails when the re-read after the writes does not show them', async () => {
    budgets
      .on(DescribeBudgetCommand)
      .rejectsOnce(awsError('NotFoundException', 'not found'))
      .resolves({ Budget: rawBudget() });
    budgets.on(CreateBudgetCommand).resolves({});
    budgets.on(DescribeNotificationsForBudgetCommand).resolves({ Notifications: [] });

    const result = await runSteps(clients, new ScriptedIoHost(answers), 'budget');

    expect(stepOf(result).status).toBe('failed');
    expect(result.facts.failures.budget).toContain('it has no ACTUAL > 80% alert');
  });

  it('refuses, before any write, to give an alert more than 10 email subscribers (the AWS limit)', async () => {
    const nine = Array.from({ length: 9 }, (_, i) => ({ SubscriptionType: 'EMAIL' as const, Address: `u${i}@example.com` }));
    budgets.on(DescribeBudgetCommand).resolves({ Budget: rawBudget() });
    budgets.on(DescribeNotificationsForBudgetCommand).resolves({ Notifications: [notification80] });
    budgets.on(DescribeSubscribersForNotificationCommand).resolves({ Subscribers: nine });
    const io = new ScriptedIoHost({ ...answers, 'budget.emails': 'a@example.com, b@example.com' });

    const result = await runSteps(clients, io, 'budget');

    expect(stepOf(result).status).toBe('failed');
    expect(result.facts.failures.budget).toContain('would have 11 email subscribers; AWS allows 10');
    expect(writes()).toEqual([]);
  });

  it('asks nothing more and writes nothing when the person declines the only change (the limit)', async () => {
    budgets.on(DescribeBudgetCommand).resolves({ Budget: rawBudget({ BudgetLimit: { Amount: '25', Unit: 'USD' } }) });
    budgets.on(DescribeNotificationsForBudgetCommand).resolves({ Notifications: [notification80] });
    budgets.on(DescribeSubscribersForNotificationCommand).resolves({ Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'ops@example.com' }] });
    const io = new ScriptedIoHost({ ...answers, 'budget.update': false });

    const result = await runSteps(clients, io, 'budget');

    expect(stepOf(result)).toEqual({ id: 'budget', status: 'skipped', changes: [] });
    expect(writes()).toEqual([]);
    expect(budgets.commandCalls(CreateNotificationCommand)).toHaveLength(0);
  });
});
