import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListPoliciesCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/core/aws/client-factory.js';
import { RecordingIoHost } from '../support/recording-io-host.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';
import {
  oldestNonDefaultVersion,
  planAdminGroup,
  validateGroupName,
  type AdminGroupState,
  type PolicyVersionInfo,
} from '../../src/core/steps/admin-group.init.js';
import {
  ALLOWED_WITHOUT_MFA,
  guardPolicyArn,
  guardPolicyDocument,
  parsePolicyDocument,
  sameJson,
} from '../../src/core/steps/mfa-guard-policy.js';

const ACCOUNT = '111122223333';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const GUARD = `arn:aws:iam::${ACCOUNT}:policy/aws-bootstrap/aws-bootstrap-require-mfa`;
const target = { partition: 'aws' as const, accountId: ACCOUNT };
const GUARD_TARGET = 'iam:policy/aws-bootstrap/aws-bootstrap-require-mfa';

const fresh: AdminGroupState = { groupName: 'Administrators', groupExists: false, attachedPolicyArns: [], guard: { exists: false } };
const done: AdminGroupState = {
  groupName: 'Administrators',
  groupExists: true,
  attachedPolicyArns: [GUARD, ADMIN],
  guard: { exists: true, upToDate: true, versions: [] },
};
const version = (n: number, isDefault = false): PolicyVersionInfo => ({
  versionId: `v${n}`,
  isDefault,
  createDate: new Date(Date.UTC(2025, 0, n)),
});

describe('admin group name', () => {
  it("follows IAM's group name rule [\\w+=,.@-]{1,128}", () => {
    for (const ok of ['Administrators', 'ops.admins', 'a', 'x+y=z,w@corp-1_2', 'G'.repeat(128)]) {
      expect(validateGroupName(ok)).toBe(true);
    }
    expect(validateGroupName('')).toMatch(/Enter/);
    expect(validateGroupName('G'.repeat(129))).toMatch(/128/);
    for (const bad of ['Admin group', 'admins/ops', 'admins!', 'grüppe']) expect(validateGroupName(bad)).toMatch(/Use only/);
  });
});

describe('admin group plan', () => {
  it('on a fresh account: group, guard policy, guard attached, then AdministratorAccess, in that order', () => {
    expect(planAdminGroup(fresh, target)).toEqual([
      { action: 'create', target: 'iam:group/Administrators', detail: '' },
      { action: 'create', target: GUARD_TARGET, detail: expect.stringContaining('MFA guard') },
      { action: 'attach', target: 'iam:group/Administrators', detail: 'aws-bootstrap-require-mfa' },
      { action: 'attach', target: 'iam:group/Administrators', detail: 'AdministratorAccess' },
    ]);
  });

  it('plans nothing when the group has both policies and the guard is current', () => {
    expect(planAdminGroup(done, target)).toEqual([]);
  });

  it('adds only the guard to an existing admin group (AdministratorAccess already attached)', () => {
    const state: AdminGroupState = { ...done, attachedPolicyArns: [ADMIN], guard: { exists: false } };
    expect(planAdminGroup(state, target).map((c) => `${c.action} ${c.detail}`)).toEqual([
      'create MFA guard: denies all but MFA set-up until signed in with MFA',
      'attach aws-bootstrap-require-mfa',
    ]);
  });

  it('attaches an existing, current guard policy to a new group', () => {
    const state: AdminGroupState = { ...fresh, guard: { exists: true, upToDate: true, versions: [] } };
    expect(planAdminGroup(state, target).map((c) => c.action)).toEqual(['create', 'attach', 'attach']);
    expect(planAdminGroup(state, target)[0]!.target).toBe('iam:group/Administrators');
  });

  it('gives an outdated guard a new default version, deleting the oldest non-default one when 5 exist', () => {
    const few: AdminGroupState = { ...done, guard: { exists: true, upToDate: false, versions: [version(1), version(2, true)] } };
    expect(planAdminGroup(few, target)).toEqual([
      { action: 'update', target: GUARD_TARGET, detail: 'new default version with the current MFA guard' },
    ]);
    const full: AdminGroupState = {
      ...done,
      guard: { exists: true, upToDate: false, versions: [version(3), version(1, true), version(4), version(2), version(5)] },
    };
    expect(planAdminGroup(full, target)).toEqual([
      { action: 'delete', target: GUARD_TARGET, detail: 'version v2 (IAM keeps at most 5)' },
      { action: 'update', target: GUARD_TARGET, detail: 'new default version with the current MFA guard' },
    ]);
  });

  it('picks the oldest non-default version by date, then by number', () => {
    expect(oldestNonDefaultVersion([version(1, true), version(7), version(3)])?.versionId).toBe('v3');
    expect(oldestNonDefaultVersion([{ versionId: 'v10', isDefault: false }, { versionId: 'v9', isDefault: false }])?.versionId).toBe('v9');
    expect(oldestNonDefaultVersion([version(1, true)])).toBeUndefined();
  });

  it('uses partition-aware ARNs (aws-cn)', () => {
    const cnGuard = `arn:aws-cn:iam::${ACCOUNT}:policy/aws-bootstrap/aws-bootstrap-require-mfa`;
    expect(guardPolicyArn('aws-cn', ACCOUNT)).toBe(cnGuard);
    const state: AdminGroupState = { ...done, attachedPolicyArns: [GUARD, ADMIN] };
    // The aws-partition ARNs do not count in aws-cn: both are attached again under their aws-cn ARNs.
    expect(planAdminGroup(state, { partition: 'aws-cn', accountId: ACCOUNT }).map((c) => c.detail)).toEqual([
      'aws-bootstrap-require-mfa',
      'AdministratorAccess',
    ]);
    expect(planAdminGroup({ ...state, attachedPolicyArns: [cnGuard, 'arn:aws-cn:iam::aws:policy/AdministratorAccess'] }, {
      partition: 'aws-cn',
      accountId: ACCOUNT,
    })).toEqual([]);
  });
});

describe('the MFA guard policy document', () => {
  const doc = guardPolicyDocument('aws');
  type Statement = { Sid: string; Effect: string; Action?: string[]; NotAction?: string[]; Resource: unknown; Condition?: unknown };
  const statements = doc.Statement as Statement[];
  const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));

  it('denies everything but MFA set-up and password change while MFA is absent (BlockMostAccessUnlessSignedInWithMFA)', () => {
    expect(bySid['BlockMostAccessUnlessSignedInWithMFA']).toEqual({
      Sid: 'BlockMostAccessUnlessSignedInWithMFA',
      Effect: 'Deny',
      NotAction: [
        'iam:CreateVirtualMFADevice',
        'iam:EnableMFADevice',
        'iam:GetUser',
        'iam:ListMFADevices',
        'iam:ListVirtualMFADevices',
        'iam:ResyncMFADevice',
        'sts:GetSessionToken',
        'iam:ChangePassword',
        'iam:GetAccountPasswordPolicy',
      ],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    });
    expect(doc.Version).toBe('2012-10-17');
  });

  it('is the only Deny, and every allowed action is exempt from it', () => {
    expect(statements.filter((s) => s.Effect === 'Deny')).toHaveLength(1);
    const allowed = statements.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action ?? []);
    // Deactivating MFA is allowed only with MFA (its own condition), so it stays blocked without MFA.
    const exempt = new Set<string>(ALLOWED_WITHOUT_MFA);
    expect(allowed.filter((a) => !exempt.has(a))).toEqual(['iam:GetMFADevice', 'iam:DeactivateMFADevice']);
    expect(bySid['AllowUserToDeactivateTheirOwnMFAOnlyWhenUsingMFA']!.Condition).toEqual({
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
    });
    expect(allowed).toEqual(expect.arrayContaining(['iam:ChangePassword', 'iam:EnableMFADevice', 'iam:CreateVirtualMFADevice']));
  });

  it("scopes the user's own actions to ${aws:username} and uses the partition in every ARN", () => {
    for (const sid of ['AllowManageOwnPassword', 'AllowUserToManageTheirOwnMFA', 'AllowUserToDeactivateTheirOwnMFAOnlyWhenUsingMFA']) {
      expect(bySid[sid]!.Resource).toBe('arn:aws:iam::*:user/${aws:username}');
    }
    expect(bySid['AllowUserToCreateVirtualMFADevice']!.Resource).toBe('arn:aws:iam::*:mfa/*');
    // Only read-only listing is allowed on every resource.
    expect(statements.filter((s) => s.Effect === 'Allow' && s.Resource === '*').flatMap((s) => s.Action)).toEqual([
      'iam:GetAccountPasswordPolicy',
      'iam:ListVirtualMFADevices',
    ]);
    const gov = JSON.stringify(guardPolicyDocument('aws-us-gov'));
    expect(gov).toContain('arn:aws-us-gov:iam::*:user/${aws:username}');
    expect(gov).not.toContain('arn:aws:');
  });

  it('fits the 6,144-character limit of a managed policy', () => {
    expect(JSON.stringify(doc).replace(/\s/g, '').length).toBeLessThan(6144);
  });

  it('is recognised when IAM returns it URL-encoded, with keys in another order', () => {
    const encoded = encodeURIComponent(JSON.stringify({ Statement: doc.Statement, Version: doc.Version }));
    expect(sameJson(parsePolicyDocument(encoded), doc)).toBe(true);
    expect(sameJson(parsePolicyDocument(JSON.stringify(doc)), doc)).toBe(true);
    expect(parsePolicyDocument('%7Bnot json')).toBeUndefined();
    const older = { ...doc, Statement: doc.Statement.slice(1) };
    expect(sameJson(parsePolicyDocument(encodeURIComponent(JSON.stringify(older))), doc)).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
  });
});

describe('admin-group init finds the guard policy by listing its path (mocked IAM)', () => {
  const iam = mockClient(IAMClient);
  const sts = mockClient(STSClient);
  const clients = () =>
    createAwsClients({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } }, new RecordingIoHost());
  const io = () => new ScriptedIoHost({ 'admin-group.name': 'Administrators', 'admin-group.confirm': true });
  const policy = (name: string, path: string, v: string) => ({
    PolicyName: name,
    Path: path,
    Arn: `arn:aws:iam::${ACCOUNT}:policy${path}${name}`,
    DefaultVersionId: v,
  });

  beforeEach(() => {
    iam.reset();
    sts.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ops` });
    iam.on(ListAttachedGroupPoliciesCommand).resolves({
      AttachedPolicies: [
        { PolicyArn: ADMIN, PolicyName: 'AdministratorAccess' },
        { PolicyArn: GUARD, PolicyName: 'aws-bootstrap-require-mfa' },
      ],
    });
  });
  afterEach(() => {
    iam.reset();
    sts.reset();
  });

  it('reads the default version of the guard found on a later page (ListPolicies on /aws-bootstrap/, then GetPolicyVersion)', async () => {
    iam
      .on(ListPoliciesCommand)
      .resolvesOnce({ Policies: [policy('team-policy', '/aws-bootstrap/', 'v1')], IsTruncated: true, Marker: 'm1' })
      .resolves({ Policies: [policy('aws-bootstrap-require-mfa', '/aws-bootstrap/', 'v3')], IsTruncated: false });
    iam.on(GetPolicyVersionCommand).resolves({
      PolicyVersion: { Document: encodeURIComponent(JSON.stringify(guardPolicyDocument('aws'))), VersionId: 'v3', IsDefaultVersion: true },
    });
    const result = await runSteps(await clients(), io(), 'admin-group');
    expect(result.report.steps.find((s) => s.id === 'admin-group')!.status).toBe('unchanged');
    // Both pages of the guard's own path (the paginator passes one input object, so the calls are compared as such).
    const listed = iam.commandCalls(ListPoliciesCommand).map((c) => c.args[0].input);
    expect(listed).toHaveLength(2);
    for (const input of listed) expect(input).toMatchObject({ Scope: 'Local', PathPrefix: '/aws-bootstrap/' });
    expect(iam.commandCalls(GetPolicyVersionCommand).map((c) => c.args[0].input)).toEqual([{ PolicyArn: GUARD, VersionId: 'v3' }]);
    expect(iam.commandCalls(GetPolicyCommand)).toHaveLength(0);
  });

  it('plans to create the guard when the listing has no policy of that name on that path', async () => {
    iam.on(ListPoliciesCommand).resolves({ Policies: [policy('aws-bootstrap-require-mfa', '/aws-bootstrap/other/', 'v1')], IsTruncated: false });
    const result = await runSteps(await clients(), io(), 'admin-group', { dryRun: true });
    const row = result.report.steps.find((s) => s.id === 'admin-group')!;
    expect(row.status).toBe('planned');
    expect(row.changes.map((c) => `${c.action} ${c.target}`)).toContain(`create ${GUARD_TARGET}`);
    expect(iam.commandCalls(GetPolicyVersionCommand)).toHaveLength(0);
  });
});
