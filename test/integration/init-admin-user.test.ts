import {
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListPoliciesCommand,
  ListUsersCommand,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/core/check/run-check.js';
import { STEPS } from '../../src/core/steps/index.js';
import { motoClients, plainClientConfig } from '../support/moto-clients.js';
import { ACCOUNT_ID, motoSeeder } from '../support/moto-seed.js';
import { RecordingIoHost } from '../support/recording-io-host.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const GUARD = `arn:aws:iam::${ACCOUNT_ID}:policy/aws-bootstrap/aws-bootstrap-require-mfa`;
const CHANGE_PASSWORD = 'arn:aws:iam::aws:policy/IAMUserChangePassword';

describe.skipIf(!motoAvailable)('init admin-group,admin-user against moto', () => {
  const moto = useMoto();
  const plainIam = () =>
    new IAMClient(plainClientConfig(moto.server.endpoint));
  const run = async (
    only: string,
    answers: ConstructorParameters<typeof ScriptedIoHost>[0],
    options: { dryRun?: boolean } = {},
  ) => {
    const io = new ScriptedIoHost(answers);
    const result = await runSteps(await motoClients(moto.server.endpoint), io, only, options);
    const status = Object.fromEntries(result.report.steps.map((s) => [s.id, s.status]));
    const row = (id: string) => result.report.steps.find((s) => s.id === id)!;
    return { io, result, status, row };
  };
  const fullAnswers = {
    'admin-group.confirm': true,
    'admin-user.name': 'alice',
    'admin-user.password-mode': 'generate',
    'admin-user.password-reset-required': true,
    'admin-user.confirm': true,
  };
  /** What IAM holds for a user, read with a plain client (not the code under test). */
  const userState = async (userName: string) => {
    const iam = plainIam();
    const user = (await iam.send(new GetUserCommand({ UserName: userName }))).User!;
    const groups = ((await iam.send(new ListGroupsForUserCommand({ UserName: userName }))).Groups ?? []).map((g) => g.GroupName);
    const loginProfile = await iam.send(new GetLoginProfileCommand({ UserName: userName })).then(
      (out) => out.LoginProfile,
      (error: Error) => (error.name === 'NoSuchEntityException' ? undefined : Promise.reject(error)),
    );
    const policies = ((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }))).AttachedPolicies ?? []).map(
      (p) => p.PolicyArn,
    );
    return { tags: user.Tags ?? [], groups, loginProfile, policies };
  };
  const snapshot = async () => {
    const iam = plainIam();
    const users = ((await iam.send(new ListUsersCommand({}))).Users ?? []).map((u) => u.UserName);
    const groups = ((await iam.send(new ListGroupsCommand({}))).Groups ?? []).map((g) => g.GroupName);
    const policies = ((await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? []).map((p) => p.Arn);
    const members = await Promise.all(
      users.map(async (u) => ((await iam.send(new ListGroupsForUserCommand({ UserName: u! }))).Groups ?? []).map((g) => g.GroupName)),
    );
    return { users, groups, policies, members };
  };

  it('sets up the group and a user in it with a console password, which the check then passes', async () => {
    const { status, row, io, result } = await run('admin-group,admin-user', fullAnswers);
    expect(status['admin-group']).toBe('created');
    expect(status['admin-user']).toBe('created');
    expect(row('admin-user').changes.map((c) => `${c.action} ${c.target}`)).toEqual([
      'create iam:user/alice',
      'add iam:group/Administrators',
      'create iam:user/alice/login-profile',
    ]);

    const attached = ((await plainIam().send(new ListAttachedGroupPoliciesCommand({ GroupName: 'Administrators' }))).AttachedPolicies ?? [])
      .map((p) => p.PolicyArn)
      .sort();
    expect(attached).toEqual([ADMIN, GUARD].sort());
    const alice = await userState('alice');
    expect(alice.tags).toEqual([{ Key: 'created-by', Value: 'aws-bootstrap' }]);
    expect(alice.groups).toEqual(['Administrators']);
    expect(alice.loginProfile?.UserName).toBe('alice');
    // AdministratorAccess includes iam:ChangePassword: no extra policy on the user.
    expect(alice.policies).toEqual([]);

    // The generated password was shown once, and nowhere else.
    expect(io.secretsShown).toHaveLength(1);
    const { label, value } = io.secretsShown[0]!;
    expect(label).toBe('Console password for alice');
    expect(value.length).toBeGreaterThanOrEqual(20);
    expect(JSON.stringify({ log: io.log, report: result.report, facts: result.facts })).not.toContain(value);
    expect(result.facts.adminUser).toBe('alice');

    const check = await runCheck(await motoClients(moto.server.endpoint), new RecordingIoHost(), {
      steps: STEPS.filter((s) => s.id === 'admin-group' || s.id === 'admin-user'),
    });
    expect(check.controls.map((c) => [c.id, c.status])).toEqual([
      ['admin-group', 'pass'],
      ['admin-user', 'pass'],
    ]);
  });

  it('reports unchanged for both steps on a second run, with no write and no confirmation asked', async () => {
    await run('admin-group,admin-user', fullAnswers);
    const before = { state: await snapshot(), alice: await userState('alice') };
    const second = await run('admin-group,admin-user', { 'admin-user.name': 'alice' });
    expect(second.row('admin-group')).toEqual({ id: 'admin-group', status: 'unchanged', changes: [] });
    expect(second.row('admin-user')).toEqual({ id: 'admin-user', status: 'unchanged', changes: [] });
    expect(second.io.asked).toEqual(['admin-group.name', 'admin-user.name']);
    expect(second.io.messages('info').join('\n')).toContain('already has a console password (left as it is)');
    expect(second.io.secretsShown).toEqual([]);
    expect({ state: await snapshot(), alice: await userState('alice') }).toEqual(before);
  });

  it('makes no write in a dry run on a fresh account, and plans both steps', async () => {
    const before = await snapshot();
    expect(before).toEqual({ users: [], groups: [], policies: [], members: [] });
    const { status, row, io } = await run(
      'admin-group,admin-user',
      { 'admin-user.name': 'alice', 'admin-user.password-reset-required': true },
      { dryRun: true },
    );
    expect(status['admin-group']).toBe('planned');
    expect(status['admin-user']).toBe('planned');
    expect(row('admin-user').changes.map((c) => c.target)).toEqual([
      'iam:user/alice',
      'iam:group/Administrators',
      'iam:user/alice/login-profile',
    ]);
    expect(io.messages('info')).toContain('The group "Administrators" does not exist yet: the admin-group step would create it.');
    // No password is asked for or made up in a dry run.
    expect(io.asked).not.toContain('admin-user.password-mode');
    expect(io.secretsShown).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('takes a typed password, rejecting one the account policy refuses before any call', async () => {
    await plainIam().send(
      new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 16, RequireSymbols: true, RequireNumbers: true }),
    );
    const { status, io } = await run('admin-group,admin-user', {
      ...fullAnswers,
      'admin-user.password-mode': 'type',
      'admin-user.password': ['short-1!', 'long-enough-but-no-digit!', 'long-enough-and-0k!'],
      'admin-user.password-reset-required': false,
    });
    expect(status['admin-user']).toBe('created');
    expect(io.validationErrors.map((e) => [e.value, e.error])).toEqual([
      ['short-1!', 'Use at least 16 characters.'],
      ['long-enough-but-no-digit!', "The account's password policy needs a digit (0-9)."],
    ]);
    expect(io.secretsShown).toEqual([]);
    expect((await userState('alice')).loginProfile).toBeDefined();
    expect(JSON.stringify(io.log)).not.toContain('long-enough-and-0k!');
  });

  it('leaves the console password of an existing user alone and only adds the user to the group', async () => {
    const iam = plainIam();
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'bob', Password: 'Existing-Passw0rd!' }));
    const { status, row, io } = await run('admin-group,admin-user', { ...fullAnswers, 'admin-user.name': 'bob' });
    expect(status['admin-user']).toBe('updated');
    expect(row('admin-user').changes).toEqual([{ action: 'add', target: 'iam:group/Administrators', detail: 'user bob' }]);
    expect(io.asked).not.toContain('admin-user.password-mode');
    expect(io.messages('info').join('\n')).toContain('The user bob exists: not in "Administrators", already has a console password');
    const bob = await userState('bob');
    expect(bob.groups).toEqual(['Administrators']);
    // Not created by aws-bootstrap: no tag added.
    expect(bob.tags).toEqual([]);
  });

  it('uses the group admin-group chose in the same run', async () => {
    const { status } = await run('admin-group,admin-user', { ...fullAnswers, 'admin-group.name': 'Ops-Admins' });
    expect(status['admin-user']).toBe('created');
    expect((await userState('alice')).groups).toEqual(['Ops-Admins']);
  });

  it('fails with a clear message, and writes nothing, when the admin group does not exist', async () => {
    const { status, result } = await run('admin-user', fullAnswers);
    expect(status['admin-user']).toBe('failed');
    expect(result.facts.failures['admin-user']).toContain('The admin group "Administrators" does not exist');
    expect(result.facts.failures['admin-user']).toContain('Run the admin-group step first');
    expect(await snapshot()).toEqual({ users: [], groups: [], policies: [], members: [] });
  });

  it('attaches IAMUserChangePassword when a reset is required and the group lacks AdministratorAccess', async () => {
    await plainIam().send(new CreateGroupCommand({ GroupName: 'Administrators' }));
    const { status, row, io } = await run('admin-user', fullAnswers);
    expect(status['admin-user']).toBe('created');
    expect(io.messages('warn').join('\n')).toContain('does not have AdministratorAccess');
    expect(row('admin-user').changes.map((c) => `${c.action} ${c.detail}`)).toEqual([
      'create tag created-by: aws-bootstrap',
      'add user alice',
      'attach IAMUserChangePassword',
      'create console password, new one required at first sign-in',
    ]);
    expect((await userState('alice')).policies).toEqual([CHANGE_PASSWORD]);
  });

  it('writes nothing when the person declines', async () => {
    await motoSeeder(moto.server.endpoint).adminGroup();
    const before = await snapshot();
    const { status, io } = await run('admin-user', { ...fullAnswers, 'admin-user.confirm': false });
    expect(status['admin-user']).toBe('skipped');
    expect(io.secretsShown).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});
