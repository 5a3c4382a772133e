import {
  BudgetsClient,
  DescribeBudgetsCommand,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
} from '@aws-sdk/client-budgets';
import {
  GetLoginProfileCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListUsersCommand,
  ListVirtualMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { plainClientConfig } from './moto-clients.js';
import { ACCOUNT_ID } from './moto-seed.js';

/**
 * Everything `init` can create, read back without aws-bootstrap and normalised (sorted, no dates or ids), so
 * that two accounts set up by different paths (a clean run; a crash and a re-run; two runs at once) compare
 * equal exactly when they hold the same resources. Duplicates and orphans show up as extra entries.
 */
export async function accountBaseline(endpoint: string) {
  const config = plainClientConfig(endpoint);
  const iam = new IAMClient(config);
  const budgets = new BudgetsClient(config);

  const aliases = (await iam.send(new ListAccountAliasesCommand({}))).AccountAliases ?? [];
  const groupNames = ((await iam.send(new ListGroupsCommand({}))).Groups ?? []).map((g) => g.GroupName!).sort();
  const groups = await Promise.all(
    groupNames.map(async (name) => ({
      name,
      policies: ((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: name }))).AttachedPolicies ?? [])
        .map((p) => p.PolicyName!)
        .sort(),
    })),
  );
  const userNames = ((await iam.send(new ListUsersCommand({}))).Users ?? []).map((u) => u.UserName!).sort();
  const users = await Promise.all(
    userNames.map(async (name) => ({
      name,
      groups: ((await iam.send(new ListGroupsForUserCommand({ UserName: name }))).Groups ?? []).map((g) => g.GroupName!).sort(),
      policies: ((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: name }))).AttachedPolicies ?? [])
        .map((p) => p.PolicyName!)
        .sort(),
      consolePassword: await iam.send(new GetLoginProfileCommand({ UserName: name })).then(
        () => true,
        () => false,
      ),
      mfaDevices: ((await iam.send(new ListMFADevicesCommand({ UserName: name }))).MFADevices ?? []).length,
    })),
  );
  const unassignedMfaDevices = (
    (await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }))).VirtualMFADevices ?? []
  ).map((d) => d.SerialNumber!);
  const localPolicies = await Promise.all(
    ((await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? []).map(async (p) => ({
      name: p.PolicyName!,
      path: p.Path!,
      versions: ((await iam.send(new ListPolicyVersionsCommand({ PolicyArn: p.Arn! }))).Versions ?? []).length,
    })),
  );
  const budgetList = (await budgets.send(new DescribeBudgetsCommand({ AccountId: ACCOUNT_ID }))).Budgets ?? [];
  const budgetStates = await Promise.all(
    budgetList.map(async (b) => {
      const notifications =
        (await budgets.send(new DescribeNotificationsForBudgetCommand({ AccountId: ACCOUNT_ID, BudgetName: b.BudgetName! })))
          .Notifications ?? [];
      return {
        name: b.BudgetName!,
        kind: `${b.TimeUnit} ${b.BudgetType}`,
        limit: `${Number(b.BudgetLimit?.Amount)} ${b.BudgetLimit?.Unit}`,
        notifications: await Promise.all(
          notifications.map(async (n) => ({
            alert: `${n.NotificationType} ${n.ComparisonOperator} ${n.Threshold} ${n.ThresholdType}`,
            subscribers: (
              (
                await budgets.send(
                  new DescribeSubscribersForNotificationCommand({ AccountId: ACCOUNT_ID, BudgetName: b.BudgetName!, Notification: n }),
                )
              ).Subscribers ?? []
            )
              .map((s) => `${s.SubscriptionType} ${s.Address}`)
              .sort(),
          })),
        ),
      };
    }),
  );
  return {
    aliases,
    groups,
    users,
    unassignedMfaDevices,
    localPolicies: localPolicies.sort((a, b) => a.name.localeCompare(b.name)),
    budgets: budgetStates.sort((a, b) => a.name.localeCompare(b.name)),
  };
}
