import {
  BudgetsClient,
  DescribeBudgetsCommand,
  DescribeBudgetNotificationsForAccountCommand,
  DescribeSubscribersForNotificationCommand,
} from '@aws-sdk/client-budgets';
import {
  GetGroupCommand,
  GetUserCommand,
  ListEntitiesForPolicyCommand,
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/core/aws/client-factory.js';
import { runCheck } from '../../src/core/check/run-check.js';
import { BootstrapError } from '../../src/core/errors.js';
import { RecordingIoHost } from '../support/recording-io-host.js';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const budgets = mockClient(BudgetsClient);

const ACCOUNT = '111122223333';

function awsError(name: string, message: string, status = 400) {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

/** A root caller on a finished account, as real AWS answers (moto cannot present a root caller). */
function finishedAccount(partition = 'aws') {
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:${partition}:iam::${ACCOUNT}:root`, UserId: ACCOUNT });
  iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 } });
  iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['acme'] });
  // IAM answers for the partition's AdministratorAccess only; any other ARN has no entities.
  iam.on(ListEntitiesForPolicyCommand).resolves({ PolicyGroups: [], IsTruncated: false });
  iam
    .on(ListEntitiesForPolicyCommand, { PolicyArn: `arn:${partition}:iam::aws:policy/AdministratorAccess`, EntityFilter: 'Group' })
    .resolves({ PolicyGroups: [{ GroupName: 'Administrators', GroupId: 'AGPA1' }], IsTruncated: false });
  iam.on(GetGroupCommand, { GroupName: 'Administrators' }).resolves({
    Group: { GroupName: 'Administrators', GroupId: 'AGPA1', Arn: 'arn:g/Administrators', Path: '/', CreateDate: new Date() },
    Users: [{ UserName: 'alice', UserId: 'AIDA1', Arn: 'arn:u/alice', Path: '/', CreateDate: new Date() }],
    IsTruncated: false,
  });
  iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'alice', CreateDate: new Date() } });
  iam.on(ListMFADevicesCommand).resolves({ MFADevices: [{ UserName: 'alice', SerialNumber: 'arn:mfa/alice', EnableDate: new Date() }] });
  budgets.on(DescribeBudgetsCommand).resolves({
    Budgets: [
      {
        BudgetName: 'monthly-cost-budget',
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: '25.0', Unit: 'USD' },
      },
    ],
  });
  budgets.on(DescribeBudgetNotificationsForAccountCommand).resolves({
    BudgetNotificationsForAccount: [
      {
        BudgetName: 'monthly-cost-budget',
        Notifications: [{ NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80, ThresholdType: 'PERCENTAGE' }],
      },
    ],
  });
  budgets
    .on(DescribeSubscribersForNotificationCommand)
    .resolves({ Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'ops@example.com' }] });
}

const clients = (region = 'us-east-1') => createAwsClients({ region }, new RecordingIoHost());
const statuses = (report: Awaited<ReturnType<typeof runCheck>>) =>
  Object.fromEntries(report.controls.map((c) => [c.id, c.status]));

beforeEach(() => {
  iam.reset();
  sts.reset();
  budgets.reset();
});
afterEach(() => {
  iam.reset();
  sts.reset();
  budgets.reset();
});

describe('runCheck over mocked AWS clients', () => {
  it('passes a finished account read by a root caller (real AWS root answers moto cannot give)', async () => {
    finishedAccount();
    const report = await runCheck(await clients(), new RecordingIoHost());
    expect(report.account).toEqual({ id: ACCOUNT, alias: 'acme', caller: `arn:aws:iam::${ACCOUNT}:root` });
    expect(statuses(report)).toEqual({
      'root-mfa': 'pass',
      'root-access-keys': 'pass',
      'account-alias': 'pass',
      'admin-group': 'pass',
      'admin-user': 'pass',
      'admin-user-mfa': 'pass',
      'billing-access': 'manual',
      budget: 'pass',
    });
    expect(report.summary).toEqual({ pass: 7, fail: 0, manual: 1, error: 0, skipped: 0 });
  });

  it('makes each read once: one GetAccountSummary for root-mfa and root-access-keys, one STS call for account and budgets', async () => {
    finishedAccount();
    await runCheck(await clients(), new RecordingIoHost());
    expect(iam.commandCalls(GetAccountSummaryCommand)).toHaveLength(1);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
    expect(iam.commandCalls(ListEntitiesForPolicyCommand)).toHaveLength(1);
    expect(iam.commandCalls(GetGroupCommand)).toHaveLength(1);
    expect(iam.commandCalls(ListAccountAliasesCommand)).toHaveLength(1);
    expect(budgets.commandCalls(DescribeBudgetsCommand)[0]!.args[0].input).toEqual({ AccountId: ACCOUNT });
  });

  it('reads the members of admin groups only, and their login profiles and MFA devices (never every user)', async () => {
    finishedAccount();
    const admins = ['Administrators', 'Ops'];
    iam
      .on(ListEntitiesForPolicyCommand, { PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', EntityFilter: 'Group' })
      .resolves({ PolicyGroups: admins.map((GroupName) => ({ GroupName })), IsTruncated: false });
    iam.on(GetGroupCommand, { GroupName: 'Ops' }).resolves({
      Group: { GroupName: 'Ops', GroupId: 'AGPA2', Arn: 'arn:g/Ops', Path: '/', CreateDate: new Date() },
      Users: [{ UserName: 'alice', UserId: 'AIDA1', Arn: 'arn:u/alice', Path: '/', CreateDate: new Date() }],
    });
    const report = await runCheck(await clients(), new RecordingIoHost());
    expect(iam.commandCalls(GetGroupCommand).map((c) => c.args[0].input.GroupName).sort()).toEqual(admins);
    expect(iam.commandCalls(GetLoginProfileCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'alice' }]);
    expect(iam.commandCalls(ListMFADevicesCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'alice' }]);
    expect(report.controls.find((c) => c.id === 'admin-user')!.detail).toBe('alice (Administrators, Ops)');
  });

  it('follows ListEntitiesForPolicy and GetGroup pages (IsTruncated/Marker, as IAM pages them)', async () => {
    finishedAccount();
    iam
      .on(ListEntitiesForPolicyCommand, { PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', EntityFilter: 'Group' })
      .resolvesOnce({ PolicyGroups: [], IsTruncated: true, Marker: 'groups-2' })
      .resolves({ PolicyGroups: [{ GroupName: 'Administrators' }], IsTruncated: false });
    iam
      .on(GetGroupCommand, { GroupName: 'Administrators' })
      .resolvesOnce({
        Group: { GroupName: 'Administrators', GroupId: 'AGPA1', Arn: 'arn:g/Administrators', Path: '/', CreateDate: new Date() },
        Users: [],
        IsTruncated: true,
        Marker: 'users-2',
      })
      .resolves({
        Group: { GroupName: 'Administrators', GroupId: 'AGPA1', Arn: 'arn:g/Administrators', Path: '/', CreateDate: new Date() },
        Users: [{ UserName: 'alice', UserId: 'AIDA1', Arn: 'arn:u/alice', Path: '/', CreateDate: new Date() }],
        IsTruncated: false,
      });
    const report = await runCheck(await clients(), new RecordingIoHost());
    expect(iam.commandCalls(ListEntitiesForPolicyCommand)[1]!.args[0].input).toMatchObject({ Marker: 'groups-2' });
    expect(iam.commandCalls(GetGroupCommand)[1]!.args[0].input).toMatchObject({ Marker: 'users-2' });
    expect(statuses(report)['admin-user']).toBe('pass');
  });

  it('with a config, reads whether the named group and user exist (NoSuchEntity from GetGroup and GetUser: they do not)', async () => {
    finishedAccount();
    iam.on(ListEntitiesForPolicyCommand).resolves({ PolicyGroups: [], IsTruncated: false });
    iam.on(GetGroupCommand, { GroupName: 'Admins' }).rejects(awsError('NoSuchEntityException', 'The group with name Admins cannot be found.', 404));
    iam.on(GetUserCommand, { UserName: 'ana' }).rejects(awsError('NoSuchEntityException', 'The user with name ana cannot be found.', 404));
    const expected = { adminGroup: { name: 'Admins' }, adminUser: { name: 'ana' } } as never;
    const report = await runCheck(await clients(), new RecordingIoHost(), { expected });
    expect(report.controls.find((c) => c.id === 'admin-group')!.detail).toBe('The group "Admins" does not exist.');
    expect(report.controls.find((c) => c.id === 'admin-user')!.detail).toBe('The user "ana" does not exist.');
  });

  it('drops an admin group deleted between ListEntitiesForPolicy and GetGroup (IAM answers NoSuchEntity)', async () => {
    finishedAccount();
    iam
      .on(ListEntitiesForPolicyCommand, { PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', EntityFilter: 'Group' })
      .resolves({ PolicyGroups: [{ GroupName: 'Administrators' }, { GroupName: 'Gone' }], IsTruncated: false });
    iam.on(GetGroupCommand, { GroupName: 'Gone' }).rejects(awsError('NoSuchEntityException', 'The group with name Gone cannot be found.', 404));
    const report = await runCheck(await clients(), new RecordingIoHost());
    expect(report.controls.find((c) => c.id === 'admin-group')!).toMatchObject({ status: 'pass', detail: 'AdministratorAccess is attached to Administrators.' });
  });

  it('with a config, a denied GetUser makes only admin-user an error row, not admin-group (AWS AccessDenied)', async () => {
    finishedAccount();
    iam.on(GetGroupCommand, { GroupName: 'Administrators', MaxItems: 1 }).resolves({ Group: { GroupName: 'Administrators', GroupId: 'AGPA1', Arn: 'arn:g/Administrators', Path: '/', CreateDate: new Date() }, Users: [] });
    iam.on(GetUserCommand).rejects(awsError('AccessDenied', 'User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: iam:GetUser', 403));
    const expected = { adminGroup: { name: 'Administrators' }, adminUser: { name: 'ana' } } as never;
    const report = await runCheck(await clients(), new RecordingIoHost(), { expected });
    expect(statuses(report)['admin-group']).toBe('pass');
    expect(statuses(report)['admin-user']).toBe('error');
  });

  it('reads NoSuchEntity from GetLoginProfile as "no console password" (IAM answers it for users without one)', async () => {
    finishedAccount();
    iam.on(GetLoginProfileCommand).rejects(new NoSuchEntityException({ message: 'Login Profile for User alice cannot be found.', $metadata: {} }));
    const report = await runCheck(await clients(), new RecordingIoHost());
    expect(statuses(report)['admin-user']).toBe('fail');
    expect(statuses(report)['admin-user-mfa']).toBe('skipped');
  });

  it('turns an AccessDenied on one read into error rows for the controls behind it only', async () => {
    finishedAccount();
    iam.on(ListMFADevicesCommand).rejects(awsError('AccessDenied', 'User: x is not authorized to perform: iam:ListMFADevices', 403));
    const report = await runCheck(await clients(), new RecordingIoHost());
    const byId = Object.fromEntries(report.controls.map((c) => [c.id, c]));
    expect(byId['admin-user']!.status).toBe('error');
    expect(byId['admin-user-mfa']).toMatchObject({
      status: 'error',
      detail: 'iam:ListMFADevices failed: AccessDenied: User: x is not authorized to perform: iam:ListMFADevices',
      remediation: 'Allow iam:ListMFADevices for the identity running aws-bootstrap (or run as an admin).',
    });
    expect(byId['root-mfa']!.status).toBe('pass');
    expect(report.summary.error).toBe(2);
  });

  it('names budgets:ViewBudget when Budgets denies DescribeBudgets (AWS answers AccessDeniedException as JSON; moto cannot)', async () => {
    finishedAccount();
    budgets
      .on(DescribeBudgetsCommand)
      .rejects(awsError('AccessDeniedException', 'User: x is not authorized to perform: budgets:ViewBudget', 400));
    const report = await runCheck(await clients(), new RecordingIoHost());
    const budget = report.controls.find((c) => c.id === 'budget')!;
    expect(budget.status).toBe('error');
    expect(budget.detail).toContain('budgets:DescribeBudgets failed: AccessDeniedException');
    expect(budget.remediation).toContain('Allow budgets:ViewBudget');
    expect(report.controls.filter((c) => c.status === 'error').map((c) => c.id)).toEqual(['budget']);
  });

  it('names the Budgets call when it answers garbage (an emulator without the operation sends HTML 500)', async () => {
    finishedAccount();
    budgets
      .on(DescribeSubscribersForNotificationCommand)
      .rejects(Object.assign(new SyntaxError('Unexpected token <'), { $metadata: { httpStatusCode: 500 } }));
    const report = await runCheck(await clients(), new RecordingIoHost());
    const budget = report.controls.find((c) => c.id === 'budget')!;
    expect(budget.status).toBe('error');
    expect(budget.detail).toContain('budgets:DescribeSubscribersForNotification failed');
    expect(budget.detail).toContain('HTTP 500');
  });

  it('stops the whole run with AWS_INVALID_CREDENTIALS on ExpiredToken (STS rejects expired session credentials)', async () => {
    finishedAccount();
    sts.on(GetCallerIdentityCommand).rejects(awsError('ExpiredToken', 'The security token included in the request is expired'));
    const error = await runCheck(await clients(), new RecordingIoHost()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BootstrapError);
    expect(error).toMatchObject({ code: 'AWS_INVALID_CREDENTIALS', exitCode: 3 });
    expect((error as Error).message).toContain('sts:GetCallerIdentity');
  });

  it('uses arn:aws-cn AdministratorAccess and the China Budgets region in the aws-cn partition', async () => {
    finishedAccount('aws-cn');
    const cn = await clients('cn-north-1');
    expect(await cn.budgets().config.region()).toBe('cn-northwest-1');
    const report = await runCheck(cn, new RecordingIoHost());
    expect(statuses(report)['admin-group']).toBe('pass');
    expect(report.controls.find((c) => c.id === 'account-alias')!.detail).toContain('acme.signin.amazonaws.cn');
  });

  it('checks only the steps asked for, and reads only what they need', async () => {
    finishedAccount();
    const { STEPS } = await import('../../src/core/steps/index.js');
    const report = await runCheck(await clients(), new RecordingIoHost(), {
      steps: STEPS.filter((s) => s.id === 'root-mfa'),
    });
    expect(report.controls.map((c) => c.id)).toEqual(['root-mfa']);
    expect(budgets.commandCalls(DescribeBudgetsCommand)).toHaveLength(0);
    expect(iam.commandCalls(ListEntitiesForPolicyCommand)).toHaveLength(0);
    expect(iam.commandCalls(GetGroupCommand)).toHaveLength(0);
  });
});
