/**
 * The IAM permissions each command needs, kept next to nothing but the table below: every AWS call in
 * src/core is made through `namedCall('<service>:<Operation>', ...)`, and test/unit/permissions.test.ts
 * fails when a label in the source is missing here, is marked for the wrong command, or is here but no
 * longer called. `aws-bootstrap permissions --for check|init` prints the policy built from it.
 */

export const PERMISSION_COMMANDS = ['check', 'init'] as const;
export type PermissionCommand = (typeof PERMISSION_COMMANDS)[number];

interface CallPermission {
  /** The IAM action that authorizes the call (often, but not always, the operation's own name). */
  action: string;
  /** The commands that make the call. */
  usedBy: readonly PermissionCommand[];
  /** Further actions AWS checks on the same call, e.g. iam:TagUser for a CreateUser that passes Tags. */
  alsoNeeds?: readonly string[];
}

const CHECK_AND_INIT = ['check', 'init'] as const;
const CHECK = ['check'] as const;
const INIT = ['init'] as const;

/**
 * Every AWS call aws-bootstrap makes, by the label its namedCall gives it. `check` makes only the reads in
 * src/core/state/account-reader.ts; `init` makes the calls in src/core/steps/*.init.ts, src/core/init and
 * src/core/config, plus the account-reader reads its steps ask for (caller, aliases, budgets).
 *
 * sts:GetCallerIdentity needs no permission (AWS allows it even when denied); it is listed so that every call
 * is accounted for, and harmless in a policy.
 * iam:CreateUser is made with Tags (created-by: aws-bootstrap), and AWS authorizes tags on create with
 * iam:TagUser as well (IAM User Guide, "Tag IAM users"; CloudFormation reports "Did not have IAM permissions to
 * process tags" without it). moto does not check this one.
 * Budgets: the Describe* operations are authorized by budgets:ViewBudget, every change by budgets:ModifyBudget
 * (Service Authorization Reference, "Actions, resources, and condition keys for AWS Budget Service").
 */
const CALLS: Readonly<Record<string, CallPermission>> = {
  'sts:GetCallerIdentity': { action: 'sts:GetCallerIdentity', usedBy: CHECK_AND_INIT },

  // check's reads (account-reader.ts); init reuses some of them.
  'iam:GetAccountSummary': { action: 'iam:GetAccountSummary', usedBy: CHECK_AND_INIT },
  'iam:ListAccountAliases': { action: 'iam:ListAccountAliases', usedBy: CHECK_AND_INIT },
  'iam:ListEntitiesForPolicy': { action: 'iam:ListEntitiesForPolicy', usedBy: CHECK },
  'iam:GetGroup': { action: 'iam:GetGroup', usedBy: CHECK },
  'iam:GetUser': { action: 'iam:GetUser', usedBy: CHECK_AND_INIT },
  'iam:GetLoginProfile': { action: 'iam:GetLoginProfile', usedBy: CHECK_AND_INIT },
  'iam:ListMFADevices': { action: 'iam:ListMFADevices', usedBy: CHECK_AND_INIT },
  'budgets:DescribeBudgets': { action: 'budgets:ViewBudget', usedBy: CHECK_AND_INIT },
  'budgets:DescribeBudgetNotificationsForAccount': { action: 'budgets:ViewBudget', usedBy: CHECK },
  'budgets:DescribeSubscribersForNotification': { action: 'budgets:ViewBudget', usedBy: CHECK_AND_INIT },

  // init: reads before writing.
  'iam:ListAttachedGroupPolicies': { action: 'iam:ListAttachedGroupPolicies', usedBy: INIT },
  'iam:ListPolicies': { action: 'iam:ListPolicies', usedBy: INIT },
  'iam:GetPolicy': { action: 'iam:GetPolicy', usedBy: INIT },
  'iam:GetPolicyVersion': { action: 'iam:GetPolicyVersion', usedBy: INIT },
  'iam:ListPolicyVersions': { action: 'iam:ListPolicyVersions', usedBy: INIT },
  'iam:ListGroupsForUser': { action: 'iam:ListGroupsForUser', usedBy: INIT },
  'iam:ListAttachedUserPolicies': { action: 'iam:ListAttachedUserPolicies', usedBy: INIT },
  'iam:GetAccountPasswordPolicy': { action: 'iam:GetAccountPasswordPolicy', usedBy: INIT },
  'iam:ListVirtualMFADevices': { action: 'iam:ListVirtualMFADevices', usedBy: INIT },
  'iam:ListAccessKeys': { action: 'iam:ListAccessKeys', usedBy: INIT },
  'budgets:DescribeBudget': { action: 'budgets:ViewBudget', usedBy: INIT },
  'budgets:DescribeNotificationsForBudget': { action: 'budgets:ViewBudget', usedBy: INIT },

  // init: writes.
  'iam:CreateAccountAlias': { action: 'iam:CreateAccountAlias', usedBy: INIT },
  'iam:DeleteAccountAlias': { action: 'iam:DeleteAccountAlias', usedBy: INIT },
  'iam:CreateGroup': { action: 'iam:CreateGroup', usedBy: INIT },
  'iam:CreatePolicy': { action: 'iam:CreatePolicy', usedBy: INIT },
  'iam:AttachGroupPolicy': { action: 'iam:AttachGroupPolicy', usedBy: INIT },
  'iam:CreatePolicyVersion': { action: 'iam:CreatePolicyVersion', usedBy: INIT },
  'iam:DeletePolicyVersion': { action: 'iam:DeletePolicyVersion', usedBy: INIT },
  'iam:CreateUser': { action: 'iam:CreateUser', alsoNeeds: ['iam:TagUser'], usedBy: INIT },
  'iam:AddUserToGroup': { action: 'iam:AddUserToGroup', usedBy: INIT },
  'iam:AttachUserPolicy': { action: 'iam:AttachUserPolicy', usedBy: INIT },
  'iam:CreateLoginProfile': { action: 'iam:CreateLoginProfile', usedBy: INIT },
  'iam:CreateVirtualMFADevice': { action: 'iam:CreateVirtualMFADevice', usedBy: INIT },
  'iam:DeleteVirtualMFADevice': { action: 'iam:DeleteVirtualMFADevice', usedBy: INIT },
  'iam:EnableMFADevice': { action: 'iam:EnableMFADevice', usedBy: INIT },
  'iam:DeleteAccessKey': { action: 'iam:DeleteAccessKey', usedBy: INIT },
  'budgets:CreateBudget': { action: 'budgets:ModifyBudget', usedBy: INIT },
  'budgets:UpdateBudget': { action: 'budgets:ModifyBudget', usedBy: INIT },
  'budgets:CreateNotification': { action: 'budgets:ModifyBudget', usedBy: INIT },
  'budgets:CreateSubscriber': { action: 'budgets:ModifyBudget', usedBy: INIT },
};

/** The namedCall labels in the table, with the commands that make each call (for the drift test). */
export function registeredCalls(): ReadonlyMap<string, readonly PermissionCommand[]> {
  return new Map(Object.entries(CALLS).map(([label, p]) => [label, p.usedBy]));
}

/** The IAM action that authorizes a namedCall label (`budgets:DescribeBudgets` -> `budgets:ViewBudget`), if known. */
export function iamActionFor(call: string): string | undefined {
  return CALLS[call]?.action;
}

/** Every IAM action AWS checks on a call: its own and any it also needs (CreateUser with Tags: iam:TagUser). */
export function actionsOfCall(call: string): string[] {
  const p = CALLS[call];
  return p ? [p.action, ...(p.alsoNeeds ?? [])] : [];
}

/** The commands that make this call: `[]` for a label the table does not know. */
export function commandsUsing(call: string): readonly PermissionCommand[] {
  return CALLS[call]?.usedBy ?? [];
}

/** The IAM actions a command needs, sorted and without duplicates. */
export function actionsFor(command: PermissionCommand): string[] {
  const actions = new Set(
    Object.entries(CALLS)
      .filter(([, p]) => p.usedBy.includes(command))
      .flatMap(([call]) => actionsOfCall(call)),
  );
  return [...actions].sort();
}

export interface IamPolicy {
  Version: '2012-10-17';
  Statement: { Effect: 'Allow'; Action: string[]; Resource: '*' }[];
}

/** The minimal identity policy for a command: one statement, actions sorted, every resource. */
export function policyFor(command: PermissionCommand): IamPolicy {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actionsFor(command), Resource: '*' }] };
}
