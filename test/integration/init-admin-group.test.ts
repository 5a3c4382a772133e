import {
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListGroupsCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { guardPolicyDocument, parsePolicyDocument, sameJson } from '../../src/core/steps/mfa-guard-policy.js';
import { motoClients, plainClientConfig } from '../support/moto-clients.js';
import { ACCOUNT_ID } from '../support/moto-seed.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const GUARD = `arn:aws:iam::${ACCOUNT_ID}:policy/aws-bootstrap/aws-bootstrap-require-mfa`;

describe.skipIf(!motoAvailable)('init admin-group against moto', () => {
  const moto = useMoto();
  /** Reads the emulator independently of the code under test. */
  const plainIam = () =>
    new IAMClient(plainClientConfig(moto.server.endpoint));
  const run = async (answers: ConstructorParameters<typeof ScriptedIoHost>[0], options: { dryRun?: boolean } = {}) => {
    const io = new ScriptedIoHost(answers);
    const result = await runSteps(await motoClients(moto.server.endpoint), io, 'admin-group', options);
    return { io, result, row: result.report.steps.find((s) => s.id === 'admin-group')! };
  };
  const attached = async (group: string) =>
    ((await plainIam().send(new ListAttachedGroupPoliciesCommand({ GroupName: group }))).AttachedPolicies ?? [])
      .map((p) => p.PolicyArn)
      .sort();
  const defaultDocument = async () => {
    const iam = plainIam();
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: GUARD }));
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: GUARD, VersionId: policy.Policy!.DefaultVersionId! }));
    return { policy: policy.Policy!, document: parsePolicyDocument(version.PolicyVersion!.Document!) };
  };
  const snapshot = async () => {
    const iam = plainIam();
    const groups = (await iam.send(new ListGroupsCommand({}))).Groups ?? [];
    const policies = (await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? [];
    const versions = await Promise.all(
      policies.map(async (p) => (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: p.Arn! }))).Versions?.length),
    );
    const attachments = await Promise.all(groups.map((g) => attached(g.GroupName!)));
    return { groups: groups.map((g) => g.GroupName), policies: policies.map((p) => [p.Arn, p.DefaultVersionId]), versions, attachments };
  };

  it('creates the group with the MFA guard and AdministratorAccess on a fresh account', async () => {
    const { row, io, result } = await run({ 'admin-group.name': 'Admins', 'admin-group.confirm': true });
    expect(row.status).toBe('created');
    expect(row.changes.map((c) => `${c.action} ${c.target} ${c.detail}`.trim())).toEqual([
      'create iam:group/Admins',
      'create iam:policy/aws-bootstrap/aws-bootstrap-require-mfa MFA guard: denies all but MFA set-up until signed in with MFA',
      'attach iam:group/Admins aws-bootstrap-require-mfa',
      'attach iam:group/Admins AdministratorAccess',
    ]);
    expect(await attached('Admins')).toEqual([ADMIN, GUARD].sort());
    const { policy, document } = await defaultDocument();
    expect(policy.Path).toBe('/aws-bootstrap/');
    expect(policy.PolicyName).toBe('aws-bootstrap-require-mfa');
    expect(sameJson(document, guardPolicyDocument('aws'))).toBe(true);
    // The plan was shown before the confirmation.
    expect(io.messages('info').join('\n')).toContain('attach iam:group/Admins (AdministratorAccess)');
    expect(io.asked).toEqual(['admin-group.name', 'admin-group.confirm']);
    expect(result.report.steps.filter((s) => s.id !== 'admin-group').every((s) => s.status === 'skipped')).toBe(true);
  });

  it('takes the default name Administrators and reports unchanged, without asking to confirm, on a second run', async () => {
    await run({ 'admin-group.confirm': true });
    expect(await attached('Administrators')).toEqual([ADMIN, GUARD].sort());
    const before = await snapshot();
    // No answer for admin-group.confirm: asking it would fail the run.
    const second = await run({});
    expect(second.row).toEqual({ id: 'admin-group', status: 'unchanged', changes: [] });
    expect(second.io.asked).toEqual(['admin-group.name']);
    expect(await snapshot()).toEqual(before);
  });

  it('makes no write in a dry run on a fresh account, and plans the four writes', async () => {
    const before = await snapshot();
    const { row } = await run({ 'admin-group.name': 'Administrators' }, { dryRun: true });
    expect(row.status).toBe('planned');
    expect(row.changes.map((c) => c.action)).toEqual(['create', 'create', 'attach', 'attach']);
    expect(await snapshot()).toEqual(before);
    expect(before).toEqual({ groups: [], policies: [], versions: [], attachments: [] });
  });

  it('writes nothing when the person declines', async () => {
    const { row } = await run({ 'admin-group.confirm': false });
    expect(row.status).toBe('skipped');
    expect(await snapshot()).toEqual({ groups: [], policies: [], versions: [], attachments: [] });
  });

  it('gives an outdated guard policy a new default version, and adds the guard to an existing admin group', async () => {
    const iam = plainIam();
    const outdated = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' }] };
    await iam.send(
      new CreatePolicyCommand({ PolicyName: 'aws-bootstrap-require-mfa', Path: '/aws-bootstrap/', PolicyDocument: JSON.stringify(outdated) }),
    );
    await iam.send(new CreateGroupCommand({ GroupName: 'Administrators' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'Administrators', PolicyArn: ADMIN }));

    const { row } = await run({ 'admin-group.confirm': true });
    expect(row.status).toBe('updated');
    expect(row.changes.map((c) => `${c.action} ${c.target} ${c.detail}`)).toEqual([
      'update iam:policy/aws-bootstrap/aws-bootstrap-require-mfa new default version with the current MFA guard',
      'attach iam:group/Administrators aws-bootstrap-require-mfa',
    ]);
    const { policy, document } = await defaultDocument();
    expect(policy.DefaultVersionId).toBe('v2');
    expect(sameJson(document, guardPolicyDocument('aws'))).toBe(true);
    const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: GUARD }))).Versions ?? [];
    expect(versions.map((v) => [v.VersionId, v.IsDefaultVersion]).sort()).toEqual([
      ['v1', false],
      ['v2', true],
    ]);
    expect(await attached('Administrators')).toEqual([ADMIN, GUARD].sort());
  });

  it('deletes the oldest non-default version first when the guard already has 5 versions', async () => {
    const iam = plainIam();
    const doc = (n: number) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: `Old${n}`, Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' }] });
    await iam.send(new CreatePolicyCommand({ PolicyName: 'aws-bootstrap-require-mfa', Path: '/aws-bootstrap/', PolicyDocument: doc(1) }));
    for (let n = 2; n <= 5; n += 1) {
      // v3 stays the default: the oldest non-default ones are then v1 and v2.
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: GUARD, PolicyDocument: doc(n), SetAsDefault: n === 3 }));
    }

    const { row } = await run({ 'admin-group.confirm': true });
    expect(row.status).toBe('created');
    expect(row.changes.slice(0, 3).map((c) => `${c.action} ${c.detail}`)).toEqual([
      'create ',
      'delete version v1 (IAM keeps at most 5)',
      'update new default version with the current MFA guard',
    ]);
    const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: GUARD }))).Versions ?? [];
    expect(versions.map((v) => v.VersionId).sort()).toEqual(['v2', 'v3', 'v4', 'v5', 'v6']);
    const { policy, document } = await defaultDocument();
    expect(policy.DefaultVersionId).toBe('v6');
    expect(sameJson(document, guardPolicyDocument('aws'))).toBe(true);
  });

  it('rejects a group name IAM would refuse before any call, then takes a valid one', async () => {
    const { row, io } = await run({ 'admin-group.name': ['ops admins', 'ops-admins'], 'admin-group.confirm': true });
    expect(io.validationErrors).toEqual([{ id: 'admin-group.name', value: 'ops admins', error: expect.stringContaining('Use only') }]);
    expect(row.status).toBe('created');
    expect(await attached('ops-admins')).toEqual([ADMIN, GUARD].sort());
  });
});
