import { describe, expect, it } from 'vitest';
import { accountsNamed, credentialTag, namesAccountData, MAX_PLAN_BYTES, MAX_PLANNED_READS, parsePlan, parsePlanFile, readsToPlan } from '../../src/core/aws/read-plan.js';
import { readKey, type AskedRead } from '../../src/core/aws/read-cache.js';

const plan = (value: unknown) => Buffer.from(JSON.stringify(value));
const asked = (service: string, operation: string, input: Record<string, unknown>, asks = 1): AskedRead => ({ service, operation, input, asks });

describe('a read plan file', () => {
  it('gives its reads back', () => {
    const reads = [
      { call: 'sts:GetCallerIdentity', input: {} },
      { call: 'iam:GetGroup', input: { GroupName: 'Administrators', MaxItems: 1000 } },
      { call: 'budgets:DescribeSubscribersForNotification', input: { AccountId: '123456789012', BudgetName: 'b', Notification: { Threshold: 80 } } },
    ];
    expect(parsePlan(plan({ version: 1, reads }))).toEqual(reads);
  });

  it('is not used at all when it is not a plan this CLI writes: missing, not JSON, another version, too long, or naming a write or an unknown read', () => {
    const good = { call: 'iam:GetGroup', input: { GroupName: 'Administrators' } };
    expect(parsePlan(undefined)).toEqual([]);
    expect(parsePlan(Buffer.from('{"version":1,'))).toEqual([]);
    expect(parsePlan(plan({ version: 2, reads: [good] }))).toEqual([]);
    expect(parsePlan(plan([good]))).toEqual([]);
    expect(parsePlan(plan({ version: 1, reads: Array.from({ length: MAX_PLANNED_READS + 1 }, () => good) }))).toEqual([]);
    expect(parsePlan(plan({ version: 1, reads: [good, { call: 'iam:DeleteUser', input: { UserName: 'alice' } }] }))).toEqual([]);
    expect(parsePlan(plan({ version: 1, reads: [good, { call: 'iam:GetSecret', input: {} }] }))).toEqual([]);
    expect(parsePlan(plan({ version: 1, reads: [good, { call: 'iam:GetUser', input: ['alice'] }] }))).toEqual([]);
    expect(parsePlan(plan({ version: 1, reads: [good, { call: 'iam:GetUser' }] }))).toEqual([]);
    const big = { version: 1, reads: [{ call: 'iam:GetGroup', input: { GroupName: 'x'.repeat(MAX_PLAN_BYTES) } }] };
    expect(JSON.parse(plan(big).toString())).toEqual(big); // a valid plan, refused for its size alone
    expect(parsePlan(plan(big))).toEqual([]);
  });

  it('names only reads of its own list, not whatever an object inherits (constructor, toString, __proto__)', () => {
    for (const call of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const text = `{"version":1,"reads":[{"call":"iam:GetGroup","input":{}},{"call":${JSON.stringify(call)},"input":{}}]}`;
      expect(parsePlan(Buffer.from(text)), call).toEqual([]);
    }
  });

  it('gives each read once, and refuses a plan that names a page after the first (its token may have expired)', () => {
    const read = { call: 'iam:GetLoginProfile', input: { UserName: 'alice' } };
    expect(parsePlan(plan({ version: 1, reads: [read, { ...read, input: { UserName: 'alice' } }] }))).toEqual([read]);
    expect(parsePlan(plan({ version: 1, reads: [read, { call: 'iam:GetGroup', input: { GroupName: 'a', Marker: 'm' } }] }))).toEqual([]);
  });
});

describe('what a run keeps as the next plan', () => {
  it('the reads it asked for itself, in order; not those only sent ahead from the last plan and never asked for', () => {
    const stale = asked('iam', 'GetLoginProfile', { UserName: 'bob' }, 1);
    const used = asked('iam', 'GetLoginProfile', { UserName: 'alice' }, 2);
    const fresh = asked('iam', 'ListMFADevices', { UserName: 'carol' }, 1);
    const sentAhead = new Set([readKey('iam', 'GetLoginProfile', { UserName: 'bob' }), readKey('iam', 'GetLoginProfile', { UserName: 'alice' })]);
    expect(readsToPlan([stale, used, fresh], sentAhead)).toEqual([
      { call: 'iam:GetLoginProfile', input: { UserName: 'alice' } },
      { call: 'iam:ListMFADevices', input: { UserName: 'carol' } },
    ]);
  });

  it('first pages only (continuation tokens expire), and only reads a plan may name', () => {
    const reads = [
      asked('iam', 'GetGroup', { GroupName: 'Administrators', MaxItems: 1000 }),
      asked('iam', 'GetGroup', { GroupName: 'Administrators', MaxItems: 1000, Marker: 'page-2' }),
      asked('budgets', 'DescribeBudgets', { AccountId: '123456789012', NextToken: 't' }),
      asked('iam', 'GetCredentialReport', {}),
    ];
    expect(readsToPlan(reads, new Set())).toEqual([{ call: 'iam:GetGroup', input: { GroupName: 'Administrators', MaxItems: 1000 } }]);
  });
});

describe('a plan made with other credentials', () => {
  it('notes the access key that made it only as a one-way tag', () => {
    const tag = credentialTag('AKIAIOSFODNN7EXAMPLE');
    expect(tag).toMatch(/^[0-9a-f]{16}$/);
    expect(credentialTag('AKIAIOSFODNN7EXAMPLE')).toBe(tag);
    expect(credentialTag('ASIAROTATEDEXAMPLE01')).not.toBe(tag);
    const reads = [{ call: 'sts:GetCallerIdentity', input: {} }];
    expect(parsePlanFile(plan({ version: 1, credential: tag, account: '123456789012', reads }))).toEqual({ reads, credential: tag, account: '123456789012' });
    expect(parsePlanFile(plan({ version: 1, credential: tag, account: '1234', reads })).account).toBeUndefined();
    // A tag that is not one this CLI writes is no tag: the plan then counts as other credentials'.
    for (const credential of ['AKIAIOSFODNN7EXAMPLE', 'abc', 42, tag.toUpperCase()]) {
      expect(parsePlanFile(plan({ version: 1, credential, reads }))).toEqual({ reads, credential: undefined, account: undefined });
    }
    expect(parsePlanFile(plan({ version: 1, reads }))).toEqual({ reads, credential: undefined, account: undefined });
  });

  it('tells the reads that name an account (an AccountId, an ARN) from those that do not', () => {
    expect(accountsNamed({ AccountId: '123456789012', BudgetName: 'b' })).toEqual(['123456789012']);
    expect(accountsNamed({ PolicyArn: 'arn:aws:iam::210987654321:policy/aws-bootstrap/x', VersionId: 'v1' })).toEqual(['210987654321']);
    expect(accountsNamed({ UserName: 'alice' })).toEqual([]);
    expect(accountsNamed({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', EntityFilter: 'Group' })).toEqual([]);
    // Not an account id: longer runs of digits.
    expect(accountsNamed({ BudgetName: 'b-1234567890123' })).toEqual([]);
  });

  it('tells the reads that name something of the account (an id, a user, group or budget) from those that name nothing', () => {
    for (const input of [{ UserName: 'alice' }, { GroupName: 'Administrators', MaxItems: 1000 }, { AccountId: '123456789012' }, { SerialNumber: 'arn:aws:iam::123456789012:mfa/alice' }]) {
      expect(namesAccountData(input), JSON.stringify(input)).toBe(true);
    }
    for (const input of [{}, { Scope: 'Local', PathPrefix: '/aws-bootstrap/' }, { PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', EntityFilter: 'Group' }]) {
      expect(namesAccountData(input), JSON.stringify(input)).toBe(false);
    }
  });
});
