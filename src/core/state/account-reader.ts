import {
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
  paginateDescribeBudgetNotificationsForAccount,
  paginateDescribeBudgets,
  type Budget,
  type Notification,
} from '@aws-sdk/client-budgets';
import {
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  GetGroupCommand,
  GetUserCommand,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  paginateGetGroup,
  paginateListEntitiesForPolicy,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/client-factory.js';
import { namedCall } from '../aws/aws-error.js';
import { adminPolicyArn } from '../aws/partition.js';
import type { BootstrapConfig } from '../config/config-types.js';
import type {
  AccountState,
  AdminGroup,
  AdminMember,
  BudgetNotification,
  BudgetState,
  CallerIdentity,
  NamedIdentity,
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

/** What a reader knows besides the clients: the names a `check --config` file expects, if any. */
interface ReadContext {
  expected?: BootstrapConfig;
}

type Readers = {
  [K in ReadName]: (clients: AwsClients, reader: AccountReader, context: ReadContext) => Promise<AccountState[K]>;
};

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
  adminGroups: readAdminGroups,
  adminMembers: readAdminMembers,
  namedGroup: readNamedGroup,
  namedUser: readNamedUser,
  budgetList: readBudgetList,
  budgets: readBudgets,
};

export function createAccountReader(clients: AwsClients, context: ReadContext = {}): AccountReader {
  const memo = new Map<ReadName, Promise<unknown>>();
  const reader: AccountReader = {
    read<K extends ReadName>(name: K): Promise<AccountState[K]> {
      let pending = memo.get(name) as Promise<AccountState[K]> | undefined;
      if (!pending) {
        pending = READERS[name](clients, reader, context) as Promise<AccountState[K]>;
        memo.set(name, pending);
      }
      return pending;
    },
  };
  return reader;
}

/**
 * Starts the caller's identity read and resolves once its request is on the wire (or the read has settled,
 * e.g. without credentials, or answered from a read cache). The caller heads the longest chains of reads
 * (budgets, then subscribers; the MFA guard policy): sent first, a server that answers in turn answers it first.
 */
export async function callerOnTheWire(clients: AwsClients, reader: AccountReader): Promise<void> {
  const settled = reader.read('caller').then(
    () => undefined,
    () => undefined,
  );
  await Promise.race([clients.sent('sts:GetCallerIdentity'), settled]);
}

async function readCaller(clients: AwsClients): Promise<CallerIdentity> {
  const out = await namedCall('sts:GetCallerIdentity', () => clients.sts().send(new GetCallerIdentityCommand({})));
  const arn = out.Arn ?? '';
  return { accountId: out.Account ?? '', arn, isRoot: /^arn:[\w-]+:iam::\d{12}:root$/.test(arn) };
}

/**
 * The groups with AdministratorAccess attached (iam:ListEntitiesForPolicy), each with its members
 * (iam:GetGroup). Calls scale with admin groups, never with the account's users: 10 users or 10,000 read the same.
 */
async function readAdminGroups(clients: AwsClients): Promise<AdminGroup[]> {
  const names: string[] = [];
  await namedCall('iam:ListEntitiesForPolicy', async () => {
    const pages = paginateListEntitiesForPolicy(
      { client: clients.iam(), pageSize: 1000 },
      { PolicyArn: adminPolicyArn(clients.partition), EntityFilter: 'Group' },
    );
    for await (const page of pages) for (const g of page.PolicyGroups ?? []) if (g.GroupName) names.push(g.GroupName);
  });
  const groups = await Promise.all(
    names.map(async (name) => {
      const members: string[] = [];
      // A group deleted since it was listed is no admin group any more (NoSuchEntity).
      const found = await absentIfNoSuchEntity(
        namedCall('iam:GetGroup', async () => {
          for await (const page of paginateGetGroup({ client: clients.iam(), pageSize: 1000 }, { GroupName: name })) {
            for (const u of page.Users ?? []) if (u.UserName) members.push(u.UserName);
          }
          return true;
        }),
      );
      return found ? { name, members } : undefined;
    }),
  );
  return groups.filter((g): g is AdminGroup => g !== undefined);
}

/** Members of AdministratorAccess groups, with console password and MFA: calls scale with admins, not users. */
async function readAdminMembers(clients: AwsClients, reader: AccountReader): Promise<AdminMember[]> {
  const groupsOf = new Map<string, string[]>();
  for (const group of await reader.read('adminGroups')) {
    for (const user of group.members) groupsOf.set(user, [...(groupsOf.get(user) ?? []), group.name]);
  }
  return Promise.all(
    [...groupsOf].map(async ([userName, adminGroups]) => {
      const [hasConsolePassword, mfaDeviceCount] = await Promise.all([
        hasLoginProfile(clients, userName),
        countMfaDevices(clients, userName),
      ]);
      return { userName, adminGroups, hasConsolePassword, mfaDeviceCount };
    }),
  );
}

/** Whether the admin group a config names exists: one GetGroup, only with such a config. */
async function readNamedGroup(clients: AwsClients, _reader: AccountReader, context: ReadContext): Promise<NamedIdentity> {
  const name = context.expected?.adminGroup?.name;
  if (name === undefined) return undefined;
  const out = await absentIfNoSuchEntity(
    namedCall('iam:GetGroup', () => clients.iam().send(new GetGroupCommand({ GroupName: name, MaxItems: 1 }))),
  );
  return { name, exists: out !== undefined };
}

/** Whether the admin user a config names exists: one GetUser, only with such a config. */
async function readNamedUser(clients: AwsClients, _reader: AccountReader, context: ReadContext): Promise<NamedIdentity> {
  const name = context.expected?.adminUser?.name;
  if (name === undefined) return undefined;
  const out = await absentIfNoSuchEntity(namedCall('iam:GetUser', () => clients.iam().send(new GetUserCommand({ UserName: name }))));
  return { name, exists: out !== undefined };
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
        ? { ...budget, notifications: await withSubscribers(clients, accountId, budget.name, notificationsByBudget.get(budget.name) ?? []) }
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
  return withSubscribers(clients, accountId, budgetName, out.Notifications ?? []);
}

/**
 * A notification's subscribers. The notification is sent as the four fields AWS identifies it by (type, operator,
 * threshold, threshold type), so that a read made ahead for the notification a config asks for is the same read.
 */
export function readSubscribers(clients: AwsClients, accountId: string, budgetName: string, n: Notification) {
  const notification: Notification = {
    NotificationType: n.NotificationType,
    ComparisonOperator: n.ComparisonOperator,
    Threshold: n.Threshold,
    ThresholdType: n.ThresholdType ?? 'PERCENTAGE',
  };
  return namedCall('budgets:DescribeSubscribersForNotification', () =>
    clients.budgets().send(
      new DescribeSubscribersForNotificationCommand({
        AccountId: accountId,
        BudgetName: budgetName,
        Notification: notification,
        MaxResults: 100,
      }),
    ),
  );
}

/** Reads the subscribers of each notification, side by side. */
function withSubscribers(
  clients: AwsClients,
  accountId: string,
  budgetName: string,
  notifications: readonly Notification[],
): Promise<BudgetNotification[]> {
  return Promise.all(
    notifications.map(async (n) => {
      const subs = await readSubscribers(clients, accountId, budgetName, n);
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
