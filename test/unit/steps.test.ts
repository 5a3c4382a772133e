import { describe, expect, it } from 'vitest';
import type { AccountState, AdminMember, BudgetState } from '../../src/core/state/account-state.js';
import { STEPS, STEP_IDS } from '../../src/core/steps/index.js';
import { isEffectiveAlert } from '../../src/core/steps/budget.js';
import type { StepContext } from '../../src/core/steps/step.js';

const aws: StepContext = { partition: 'aws' };
const step = (id: string) => STEPS.find((s) => s.id === id)!;
const evaluate = (id: string, state: Partial<AccountState>, context = aws) =>
  step(id).check.evaluate(state as AccountState, context);

const admin = (userName: string, hasConsolePassword: boolean, mfaDeviceCount: number): AdminMember => ({
  userName,
  adminGroups: ['Administrators'],
  hasConsolePassword,
  mfaDeviceCount,
});

const monthly = (notifications: BudgetState['notifications'], limit = 25): BudgetState => ({
  name: 'monthly-cost-budget',
  budgetType: 'COST',
  timeUnit: 'MONTHLY',
  limit: { amount: limit, unit: 'USD' },
  notifications,
});

const alert = (over: Partial<BudgetState['notifications'][number]> = {}) => ({
  notificationType: 'ACTUAL',
  comparisonOperator: 'GREATER_THAN',
  threshold: 80,
  thresholdType: 'PERCENTAGE',
  subscribers: [{ type: 'EMAIL', address: 'ops@example.com' }],
  ...over,
});

describe('steps', () => {
  it('are declared in init order, one module per public id', () => {
    expect(STEPS.map((s) => s.id)).toEqual([...STEP_IDS]);
    expect(STEP_IDS).toEqual([
      'root-mfa',
      'root-access-keys',
      'account-alias',
      'admin-group',
      'admin-user',
      'admin-user-mfa',
      'billing-access',
      'budget',
    ]);
  });

  it('root-mfa and root-access-keys follow the live GetAccountSummary flags', () => {
    expect(evaluate('root-mfa', { summary: { rootMfaEnabled: true, rootAccessKeysPresent: true } }).status).toBe('pass');
    expect(evaluate('root-mfa', { summary: { rootMfaEnabled: false, rootAccessKeysPresent: false } }).status).toBe('fail');
    expect(evaluate('root-access-keys', { summary: { rootMfaEnabled: true, rootAccessKeysPresent: false } }).status).toBe('pass');
    expect(evaluate('root-access-keys', { summary: { rootMfaEnabled: true, rootAccessKeysPresent: true } }).status).toBe('fail');
  });

  it('account-alias shows the sign-in URL by alias, or by account id when there is none', () => {
    const caller = { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:root', isRoot: true };
    expect(evaluate('account-alias', { aliases: ['acme'], caller })).toEqual({
      status: 'pass',
      detail: 'Alias "acme"; sign-in URL https://acme.signin.aws.amazon.com/console',
    });
    expect(evaluate('account-alias', { aliases: [], caller })).toEqual({
      status: 'fail',
      detail: 'No alias; IAM users sign in at https://111122223333.signin.aws.amazon.com/console',
    });
    expect(evaluate('account-alias', { aliases: ['acme'], caller }, { partition: 'aws-cn' }).detail).toContain(
      'https://acme.signin.amazonaws.cn/console',
    );
  });

  it('admin-group passes when a group has AdministratorAccess (the reader asks for the partition\'s ARN)', () => {
    expect(evaluate('admin-group', { adminGroups: [{ name: 'Admins', members: [] }], namedGroup: undefined })).toEqual({
      status: 'pass',
      detail: 'AdministratorAccess is attached to Admins.',
    });
    expect(evaluate('admin-group', { adminGroups: [], namedGroup: undefined })).toEqual({
      status: 'fail',
      detail: 'No IAM group has AdministratorAccess attached.',
    });
  });

  it('admin-group with a config tells a missing group from one without AdministratorAccess', () => {
    const expected = { adminGroup: { name: 'Administrators' } } as NonNullable<StepContext['expected']>;
    const withConfig = { ...aws, expected };
    const admins = [{ name: 'Administrators', members: ['alice'] }];
    expect(evaluate('admin-group', { adminGroups: admins, namedGroup: undefined }, withConfig).status).toBe('pass');
    expect(
      evaluate('admin-group', { adminGroups: [], namedGroup: { name: 'Administrators', exists: false } }, withConfig),
    ).toEqual({ status: 'fail', detail: 'The group "Administrators" does not exist.' });
    expect(
      evaluate('admin-group', { adminGroups: [{ name: 'Other', members: [] }], namedGroup: { name: 'Administrators', exists: true } }, withConfig),
    ).toEqual({ status: 'fail', detail: 'The group "Administrators" does not have AdministratorAccess attached.' });
  });

  it('admin-user with a config tells a missing user from one outside the admin group', () => {
    const expected = { adminGroup: { name: 'Administrators' }, adminUser: { name: 'alice' } } as NonNullable<StepContext['expected']>;
    const withConfig = { ...aws, expected };
    expect(
      evaluate('admin-user', { adminMembers: [], namedUser: { name: 'alice', exists: false } }, withConfig),
    ).toEqual({ status: 'fail', detail: 'The user "alice" does not exist.' });
    expect(
      evaluate('admin-user', { adminMembers: [], namedUser: { name: 'alice', exists: true } }, withConfig),
    ).toEqual({ status: 'fail', detail: 'The user "alice" is not in the admin group "Administrators".' });
    expect(evaluate('admin-user', { adminMembers: [admin('alice', true, 0)], namedUser: undefined }, withConfig).status).toBe('pass');
  });

  it('admin-user needs a member with a console password', () => {
    expect(evaluate('admin-user', { adminMembers: [] })).toMatchObject({ status: 'fail' });
    expect(evaluate('admin-user', { adminMembers: [admin('bot', false, 0)] })).toMatchObject({
      status: 'fail',
      detail: 'Admin group members without a console password: bot.',
    });
    expect(evaluate('admin-user', { adminMembers: [admin('bot', false, 0), admin('alice', true, 0)] })).toEqual({
      status: 'pass',
      detail: 'alice (Administrators)',
    });
  });

  it('admin-user-mfa names every console admin without MFA, and skips when there is none', () => {
    expect(evaluate('admin-user-mfa', { adminMembers: [admin('bot', false, 0)] }).status).toBe('skipped');
    expect(
      evaluate('admin-user-mfa', { adminMembers: [admin('alice', true, 1), admin('bob', true, 0), admin('eve', true, 0)] }),
    ).toEqual({ status: 'fail', detail: 'Without MFA: bob, eve.' });
    expect(evaluate('admin-user-mfa', { adminMembers: [admin('alice', true, 2)] }).status).toBe('pass');
  });

  it('billing-access is manual whatever the state, with the console page as the fix', () => {
    expect(evaluate('billing-access', {}).status).toBe('manual');
    expect(step('billing-access').remediation(aws)).toContain('https://console.aws.amazon.com/billing/home#/account');
  });

  it('budget passes with a monthly cost budget alerting at or below 100% to someone', () => {
    expect(evaluate('budget', { budgets: [monthly([alert()])] })).toEqual({
      status: 'pass',
      detail: 'monthly-cost-budget: 25 USD a month, alert at ACTUAL > 80% to 1 subscriber.',
    });
    expect(evaluate('budget', { budgets: [] })).toEqual({ status: 'fail', detail: 'No MONTHLY COST budget.' });
    const yearly = { ...monthly([alert()]), timeUnit: 'ANNUALLY' };
    expect(evaluate('budget', { budgets: [yearly] }).status).toBe('fail');
    const usage = { ...monthly([alert()]), budgetType: 'USAGE' };
    expect(evaluate('budget', { budgets: [usage] }).status).toBe('fail');
    expect(evaluate('budget', { budgets: [monthly([alert({ threshold: 150 })])] }).status).toBe('fail');
  });

  it.each([
    ['ACTUAL at 100%', alert({ threshold: 100 }), true],
    ['FORECASTED at 80%', alert({ notificationType: 'FORECASTED' }), true],
    ['above 100%', alert({ threshold: 100.5 }), false],
    ['LESS_THAN', alert({ comparisonOperator: 'LESS_THAN' }), false],
    ['no subscriber', alert({ subscribers: [] }), false],
    ['absolute 20 USD of 25', alert({ thresholdType: 'ABSOLUTE_VALUE', threshold: 20 }), true],
    ['absolute 30 USD of 25', alert({ thresholdType: 'ABSOLUTE_VALUE', threshold: 30 }), false],
  ])('isEffectiveAlert: %s -> %s', (_name, notification, expected) => {
    expect(isEffectiveAlert(notification, monthly([notification]))).toBe(expected);
  });
});
