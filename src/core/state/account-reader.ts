import {
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
  paginateDescribeBudgetNotificationsForAccount,
  paginateDescribeBudgets,
  type Budget,
  type BudgetsClient,
  type Notification,
} from '@aws-sdk/client-budgets';
import {
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  paginateGetAccountAuthorizationDetails,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/client-factory.js';
import { namedCall } from '../aws/aws-error.js';
import { adminPolicyArn } from '../aws/partition.js';
import type {
  AccountState,
  AdminMember,
  BudgetNotification,
  BudgetState,
  CallerIdentity,
  IamInventory,
  ReadName,
} from './account-state.js';
import { absentIfNoSuchEntity } from '../aws/aws-error-names.js';

/**
 * Reads account state on demand, each read at most once per run (memoised promises), so two controls
 * that need GetAccountSummary share one call, and independent reads run in parallel.
 */
export interface AccountReader {
  read<K extends ReadName>(name: K): Promise<AccountState[K]>;
}

type Readers = { [K in ReadName]: (clients: AwsClients, reader: AccountReader) => Promise<AccountState[K]> };

const READERS: Readers = {
  caller: readCaller,
  summary: async (clients) => {
    const out = await namedCall('iam:GetAccountSummary', () => clients.iam().send(new GetAccountSummaryCommand({})));
    const map = out.SummaryMap ?? {};
    return {
      rootMfaEnabled: map.AccountMFAEnabled === 1,
      rootAccessKeysPresent: map.AccountAccessKeysPresent === 1,
    };
  },
  aliases: async (clients) => {
    // An account has at most one alias: one page is all there is.
    const out = await namedCall('iam:ListAccountAliases', () => clients.iam().send(new ListAccountAliasesCommand({})));
    return out.AccountAliases ?? [];
  },
  iam: readIamInventory,
  adminMembers: readAdminMembers,
  budgetList: readBudgetList,
  budgets: readBudgets,
};

export function createAccountReader(clients: AwsClients): AccountReader {
  const memo = new Map<ReadName, Promise<unknown>>();
  const reader: AccountReader = {
    read<K extends ReadName>(name: K): Promise<AccountState[K]> {
      let pending = memo.get(name) as Promise<AccountState[K]> | undefined;
      if (!pending) {
        pending = READERS[name](clients, reader) as Promise<AccountState[K]>;
        memo.set(name, pending);
      }
      return pending;
    },
  };
  return reader;
}

async function readCaller(clients: AwsClients): Promise<CallerIdentity> {
  const out = await namedCall('sts:GetCallerIdentity', () => clients.sts().send(new GetCallerIdentityCommand({})));
  const arn = out.Arn ?? '';
  return { accountId: out.Account ?? '', arn, isRoot: /^arn:[\w-]+:iam::\d{12}:root$/.test(arn) };
}

async function readIamInventory(clients: AwsClients): Promise<IamInventory> {
  const inventory: IamInventory = { users: [], groups: [] };
  await namedCall('iam:GetAccountAuthorizationDetails', async () => {
    const pages = paginateGetAccountAuthorizationDetails(
      { client: clients.iam(), pageSize: 1000 },
      { Filter: ['User', 'Group'] },
    );
    for await (const page of pages) {
      for (const u of page.UserDetailList ?? []) {
        inventory.users.push({ name: u.UserName ?? '', arn: u.Arn ?? '', groups: u.GroupList ?? [] });
      }
      for (const g of page.GroupDetailList ?? []) {
        inventory.groups.push({
          name: g.GroupName ?? '',
          arn: g.Arn ?? '',
          attachedPolicyArns: (g.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? ''),
        });
      }
    }
  });
  return inventory;
}

/** Members of AdministratorAccess groups, with console password and MFA: calls scale with admins, not users. */
async function readAdminMembers(clients: AwsClients, reader: AccountReader): Promise<AdminMember[]> {
  const { users, groups } = await reader.read('iam');
  const policy = adminPolicyArn(clients.partition);
  const adminGroups = new Set(groups.filter((g) => g.attachedPolicyArns.includes(policy)).map((g) => g.name));
  const admins = users.filter((u) => u.groups.some((g) => adminGroups.has(g)));
  return Promise.all(
    admins.map(async (u) => {
      const [hasConsolePassword, mfaDeviceCount] = await Promise.all([
        hasLoginProfile(clients, u.name),
        countMfaDevices(clients, u.name),
      ]);
      return { userName: u.name, adminGroups: u.groups.filter((g) => adminGroups.has(g)), hasConsolePassword, mfaDeviceCount };
    }),
  );
}

async function hasLoginProfile(clients: AwsClients, userName: string): Promise<boolean> {
  const profile = await absentIfNoSuchEntity(
    namedCall('iam:GetLoginProfile', () => clients.iam().send(new GetLoginProfileCommand({ UserName: userName }))),
  );
  return profile !== undefined;
}

async function countMfaDevices(clients: AwsClients, userName: string): Promise<number> {
  // A user has at most 8 MFA devices: one page.
  const out = await namedCall('iam:ListMFADevices', () =>
    clients.iam().send(new ListMFADevicesCommand({ UserName: userName })),
  );
  return out.MFADevices?.length ?? 0;
}

/** Monthly COST budgets are the ones the budget control can count; only theirs get notifications read. */
export function isMonthlyCostBudget(b: Pick<BudgetState, 'budgetType' | 'timeUnit'>): boolean {
  return b.budgetType === 'COST' && b.timeUnit === 'MONTHLY';
}

async function readBudgetList(clients: AwsClients, reader: AccountReader): Promise<BudgetState[]> {
  const { accountId } = await reader.read('caller');
  const budgets: BudgetState[] = [];
  await namedCall('budgets:DescribeBudgets', async () => {
    for await (const page of paginateDescribeBudgets({ client: clients.budgets() }, { AccountId: accountId })) {
      for (const b of page.Budgets ?? []) budgets.push(toBudgetState(b));
    }
  });
  return budgets;
}

/**
 * Every budget, and for the monthly cost ones their notifications with subscribers. The budgets and every
 * budget's notifications are two account-wide reads made side by side (DescribeBudgets and
 * DescribeBudgetNotificationsForAccount), so only the subscribers wait for them: two round trips after the
 * caller's identity, not three.
 */
async function readBudgets(clients: AwsClients, reader: AccountReader): Promise<BudgetState[]> {
  const { accountId } = await reader.read('caller');
  const client = clients.budgets();
  const notificationsByBudget = new Map<string, Notification[]>();
  const [list] = await Promise.all([
    reader.read('budgetList'),
    namedCall('budgets:DescribeBudgetNotificationsForAccount', async () => {
      const pages = paginateDescribeBudgetNotificationsForAccount({ client, pageSize: 1000 }, { AccountId: accountId });
      for await (const page of pages) {
        for (const b of page.BudgetNotificationsForAccount ?? []) {
          if (b.BudgetName !== undefined) notificationsByBudget.set(b.BudgetName, b.Notifications ?? []);
        }
      }
    }),
  ]);
  return Promise.all(
    list.map(async (budget) =>
      isMonthlyCostBudget(budget)
        ? { ...budget, notifications: await withSubscribers(client, accountId, budget.name, notificationsByBudget.get(budget.name) ?? []) }
        : { ...budget },
    ),
  );
}

/** A budget as AWS describes it, without its notifications (read separately). */
export function toBudgetState(b: Budget): BudgetState {
  const amount = b.BudgetLimit?.Amount;
  return {
    name: b.BudgetName ?? '',
    budgetType: b.BudgetType ?? '',
    timeUnit: b.TimeUnit ?? '',
    limit: amount === undefined ? undefined : { amount: Number(amount), unit: b.BudgetLimit?.Unit ?? '' },
    notifications: [],
  };
}

/** A budget's notifications, each with its subscribers. NotFound (no such budget) is the caller's to handle. */
export async function readNotifications(
  clients: AwsClients,
  accountId: string,
  budgetName: string,
): Promise<BudgetNotification[]> {
  const client = clients.budgets();
  // Budgets allows at most 5 notifications a budget and 11 subscribers a notification: single pages.
  const out = await namedCall('budgets:DescribeNotificationsForBudget', () =>
    client.send(new DescribeNotificationsForBudgetCommand({ AccountId: accountId, BudgetName: budgetName, MaxResults: 100 })),
  );
  return withSubscribers(client, accountId, budgetName, out.Notifications ?? []);
}

/** Reads the subscribers of each notification, side by side. */
function withSubscribers(
  client: BudgetsClient,
  accountId: string,
  budgetName: string,
  notifications: readonly Notification[],
): Promise<BudgetNotification[]> {
  return Promise.all(
    notifications.map(async (n) => {
      const subs = await namedCall('budgets:DescribeSubscribersForNotification', () =>
        client.send(
          new DescribeSubscribersForNotificationCommand({
            AccountId: accountId,
            BudgetName: budgetName,
            Notification: n,
            MaxResults: 100,
          }),
        ),
      );
      return {
        notificationType: n.NotificationType ?? '',
        comparisonOperator: n.ComparisonOperator ?? '',
        threshold: n.Threshold ?? 0,
        thresholdType: n.ThresholdType ?? 'PERCENTAGE',
        subscribers: (subs.Subscribers ?? []).map((s) => ({ type: s.SubscriptionType ?? '', address: s.Address ?? '' })),
      };
    }),
  );
}
