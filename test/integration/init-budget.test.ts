import {
  BudgetsClient,
  CreateBudgetCommand,
  DescribeBudgetsCommand,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
} from '@aws-sdk/client-budgets';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_ID, motoSeeder } from '../support/moto-seed.js';
import { motoClients, plainClientConfig } from '../support/moto-clients.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';
import { recordCalls, writesIn } from '../support/record-calls.js';

/** Every call the core makes through these clients, by operation name. */

const ANSWERS = {
  'budget.name': 'monthly-cost-budget',
  'budget.amount': '10',
  'budget.emails': 'ops@example.com, finance@example.com',
  'budget.threshold': '80',
  'budget.confirm': true,
};

describe.skipIf(!motoAvailable)('init budget against moto', () => {
  const moto = useMoto();
  const plain = () =>
    new BudgetsClient(plainClientConfig(moto.server.endpoint));
  /** Every budget with its notifications and their subscribers, read back independently of the code under test. */
  async function budgetsNow() {
    const client = plain();
    const out = await client.send(new DescribeBudgetsCommand({ AccountId: ACCOUNT_ID }));
    return Promise.all(
      (out.Budgets ?? []).map(async (b) => {
        const n = await client.send(new DescribeNotificationsForBudgetCommand({ AccountId: ACCOUNT_ID, BudgetName: b.BudgetName! }));
        const notifications = await Promise.all(
          (n.Notifications ?? []).map(async (notification) => {
            const s = await client.send(
              new DescribeSubscribersForNotificationCommand({ AccountId: ACCOUNT_ID, BudgetName: b.BudgetName!, Notification: notification }),
            );
            return {
              type: notification.NotificationType,
              operator: notification.ComparisonOperator,
              threshold: notification.Threshold,
              thresholdType: notification.ThresholdType,
              emails: (s.Subscribers ?? []).map((x) => x.Address).sort(),
            };
          }),
        );
        return {
          name: b.BudgetName,
          type: b.BudgetType,
          timeUnit: b.TimeUnit,
          limit: `${Number(b.BudgetLimit?.Amount)} ${b.BudgetLimit?.Unit}`,
          lastUpdated: b.LastUpdatedTime?.getTime(),
          notifications,
        };
      }),
    );
  }
  const stepOf = (result: Awaited<ReturnType<typeof runSteps>>) => result.report.steps.find((s) => s.id === 'budget')!;
  const alert80 = (emails: string[]) => ({ type: 'ACTUAL', operator: 'GREATER_THAN', threshold: 80, thresholdType: 'PERCENTAGE', emails });

  it('creates a MONTHLY COST budget with an ACTUAL > 80% email alert; a second run is unchanged and writes nothing', async () => {
    const clients = await motoClients(moto.server.endpoint);
    const io = new ScriptedIoHost(ANSWERS);

    const result = await runSteps(clients, io, 'budget');

    expect(stepOf(result)).toEqual({
      id: 'budget',
      status: 'created',
      changes: [
        {
          action: 'create',
          target: 'budgets:budget/monthly-cost-budget',
          detail: 'MONTHLY COST, 10 USD a month; alert at ACTUAL > 80% to ops@example.com, finance@example.com',
        },
      ],
    });
    expect(io.asked).toEqual(['budget.name', 'budget.amount', 'budget.emails', 'budget.threshold', 'budget.confirm']);
    const after = await budgetsNow();
    expect(after).toMatchObject([
      {
        name: 'monthly-cost-budget',
        type: 'COST',
        timeUnit: 'MONTHLY',
        limit: '10 USD',
        notifications: [alert80(['finance@example.com', 'ops@example.com'])],
      },
    ]);

    // Second run: the defaults are now the budget's own values, so pressing Enter throughout keeps it.
    const again = new ScriptedIoHost({});
    const calls = recordCalls(clients);
    const second = await runSteps(clients, again, 'budget');
    expect(stepOf(second)).toEqual({ id: 'budget', status: 'unchanged', changes: [] });
    expect(calls).toContain('DescribeBudget');
    expect(writesIn(calls)).toEqual([]);
    expect(await budgetsNow()).toEqual(after);
  });

  it('plans the budget in a dry run and creates nothing', async () => {
    const clients = await motoClients(moto.server.endpoint);
    const calls = recordCalls(clients);

    const result = await runSteps(clients, new ScriptedIoHost(ANSWERS), 'budget', { dryRun: true });

    expect(stepOf(result)).toMatchObject({ status: 'planned', changes: [{ action: 'create', target: 'budgets:budget/monthly-cost-budget' }] });
    expect(writesIn(calls)).toEqual([]);
    expect(await budgetsNow()).toEqual([]);
  });

  it('creates nothing when the person declines the new budget', async () => {
    const clients = await motoClients(moto.server.endpoint);
    const calls = recordCalls(clients);
    const io = new ScriptedIoHost({ ...ANSWERS, 'budget.confirm': false });

    const result = await runSteps(clients, io, 'budget');

    expect(stepOf(result)).toEqual({ id: 'budget', status: 'skipped', changes: [] });
    expect(io.messages('info').join('\n')).toContain('create budgets:budget/monthly-cost-budget');
    expect(writesIn(calls)).toEqual([]);
    expect(await budgetsNow()).toEqual([]);
  });

  it('shows an existing budget next to the request and changes its limit only when the person agrees', async () => {
    await motoSeeder(moto.server.endpoint).monthlyBudget('monthly-cost-budget', { amount: 25, emails: ['ops@example.com'] });
    const clients = await motoClients(moto.server.endpoint);
    const before = await budgetsNow();

    // A dry run plans both changes and writes nothing.
    const plan = await runSteps(clients, new ScriptedIoHost(ANSWERS), 'budget', { dryRun: true });
    expect(stepOf(plan).changes.map((c) => `${c.action} ${c.detail}`)).toEqual([
      'update limit 25 USD -> 10 USD a month',
      'add subscriber finance@example.com to the ACTUAL > 80% alert',
    ]);
    expect(await budgetsNow()).toEqual(before);

    // Declined: the limit stays, the missing subscriber is still added.
    const declined = new ScriptedIoHost({ ...ANSWERS, 'budget.update': false });
    const first = await runSteps(clients, declined, 'budget');
    expect(declined.messages('info').join('\n')).toMatch(/limit\s+25 USD a month\s+10 USD a month/);
    expect(stepOf(first)).toMatchObject({ status: 'updated', changes: [{ action: 'add', target: 'budgets:budget/monthly-cost-budget/notification' }] });
    expect(await budgetsNow()).toMatchObject([{ limit: '25 USD', notifications: [alert80(['finance@example.com', 'ops@example.com'])] }]);

    // Accepted: UpdateBudget, and the notification with its subscribers survives it.
    const accepted = new ScriptedIoHost({ ...ANSWERS, 'budget.update': true });
    const second = await runSteps(clients, accepted, 'budget');
    expect(stepOf(second)).toEqual({
      id: 'budget',
      status: 'updated',
      changes: [{ action: 'update', target: 'budgets:budget/monthly-cost-budget', detail: 'limit 25 USD -> 10 USD a month' }],
    });
    expect(await budgetsNow()).toMatchObject([
      { type: 'COST', timeUnit: 'MONTHLY', limit: '10 USD', notifications: [alert80(['finance@example.com', 'ops@example.com'])] },
    ]);
  });

  it('adds a missing alert to an existing budget, keeping its other alert and that alert’s subscribers', async () => {
    await motoSeeder(moto.server.endpoint).monthlyBudget('monthly-cost-budget', {
      amount: 10,
      threshold: 100,
      notificationType: 'FORECASTED',
      emails: ['someone@example.com'],
    });
    const clients = await motoClients(moto.server.endpoint);
    const io = new ScriptedIoHost(ANSWERS);

    const result = await runSteps(clients, io, 'budget');

    expect(stepOf(result)).toEqual({
      id: 'budget',
      status: 'updated',
      changes: [
        {
          action: 'create',
          target: 'budgets:budget/monthly-cost-budget/notification',
          detail: 'alert at ACTUAL > 80% to ops@example.com, finance@example.com',
        },
      ],
    });
    expect(io.asked).not.toContain('budget.update');
    const [budget] = await budgetsNow();
    expect(budget!.notifications).toHaveLength(2);
    expect(budget!.notifications).toContainEqual({
      type: 'FORECASTED',
      operator: 'GREATER_THAN',
      threshold: 100,
      thresholdType: 'PERCENTAGE',
      emails: ['someone@example.com'],
    });
    expect(budget!.notifications).toContainEqual(alert80(['finance@example.com', 'ops@example.com']));
  });

  it('offers an existing monthly cost budget’s name and values, and leaves subscribers not listed alone', async () => {
    await motoSeeder(moto.server.endpoint).monthlyBudget('My Monthly Cost Budget', {
      amount: 50,
      emails: ['a@example.com', 'b@example.com'],
    });
    const clients = await motoClients(moto.server.endpoint);
    const io = new ScriptedIoHost({ 'budget.emails': 'a@example.com, c@example.com', 'budget.confirm': true });

    const result = await runSteps(clients, io, 'budget');

    expect(stepOf(result)).toMatchObject({
      status: 'updated',
      changes: [{ action: 'add', detail: 'subscriber c@example.com to the ACTUAL > 80% alert' }],
    });
    expect(await budgetsNow()).toMatchObject([
      { name: 'My Monthly Cost Budget', limit: '50 USD', notifications: [alert80(['a@example.com', 'b@example.com', 'c@example.com'])] },
    ]);
  });

  it('will not turn a budget of another kind into a monthly cost one: it asks for another name', async () => {
    await plain().send(
      new CreateBudgetCommand({
        AccountId: ACCOUNT_ID,
        Budget: { BudgetName: 'quarterly', BudgetType: 'COST', TimeUnit: 'QUARTERLY', BudgetLimit: { Amount: '100', Unit: 'USD' } },
      }),
    );
    const clients = await motoClients(moto.server.endpoint);
    const io = new ScriptedIoHost({ ...ANSWERS, 'budget.name': ['quarterly', 'monthly-cost-budget'] });

    const result = await runSteps(clients, io, 'budget');

    expect(stepOf(result).status).toBe('created');
    expect(io.messages('warn')[0]).toMatch(/^A budget named "quarterly" exists but is a QUARTERLY COST budget/);
    const after = await budgetsNow();
    expect(after.map((b) => [b.name, b.timeUnit, b.limit]).sort()).toEqual([
      ['monthly-cost-budget', 'MONTHLY', '10 USD'],
      ['quarterly', 'QUARTERLY', '100 USD'],
    ]);
  });
});
