import type { Partition } from '../aws/partition.js';

/** Who is running aws-bootstrap (sts:GetCallerIdentity). */
export interface CallerIdentity {
  accountId: string;
  arn: string;
  /** True when signed in as the account's root user (ARN `arn:<partition>:iam::<account>:root`). */
  isRoot: boolean;
}

/** The live root facts from iam:GetAccountSummary (the credential report can be hours old). */
export interface AccountSummary {
  rootMfaEnabled: boolean;
  rootAccessKeysPresent: boolean;
}

/** A group with the partition's AdministratorAccess policy attached, and its members. */
export interface AdminGroup {
  name: string;
  members: string[];
}

/**
 * Whether the group or user a `check --config` file names exists at all (iam:GetGroup, iam:GetUser), to tell
 * "does not exist" from "is not an admin". Undefined without a config that names one.
 */
export type NamedIdentity = { name: string; exists: boolean } | undefined;

/** A member of a group with AdministratorAccess, with what it takes to judge it. */
export interface AdminMember {
  userName: string;
  adminGroups: string[];
  hasConsolePassword: boolean;
  mfaDeviceCount: number;
}

export interface BudgetSubscriber {
  type: 'EMAIL' | 'SNS' | string;
  address: string;
}

export interface BudgetNotification {
  notificationType: string;
  comparisonOperator: string;
  threshold: number;
  thresholdType: string;
  subscribers: BudgetSubscriber[];
}

export interface BudgetState {
  name: string;
  budgetType: string;
  timeUnit: string;
  limit: { amount: number; unit: string } | undefined;
  /** Read for MONTHLY COST budgets only (the ones the budget control counts); empty for the others. */
  notifications: BudgetNotification[];
}

/** Everything `check` may read, keyed by read name. Each read happens at most once per run. */
export interface AccountState {
  caller: CallerIdentity;
  summary: AccountSummary;
  aliases: string[];
  adminGroups: AdminGroup[];
  adminMembers: AdminMember[];
  namedGroup: NamedIdentity;
  namedUser: NamedIdentity;
  /** Every budget, without notifications (DescribeBudgets alone): what init needs to offer a name. */
  budgetList: BudgetState[];
  /** Every budget, the monthly cost ones with their notifications and subscribers. */
  budgets: BudgetState[];
}

export type ReadName = keyof AccountState;

/** Facts known before any read: from options and the client factory. */
export interface AccountContext {
  partition: Partition;
}
