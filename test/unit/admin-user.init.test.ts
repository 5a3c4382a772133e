import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  EntityAlreadyExistsException,
  GetAccountPasswordPolicyCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  NoSuchEntityException,
  PasswordPolicyViolationException,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/core/aws/client-factory.js';
import {
  planAdminUser,
  suggestUserName,
  validateUserName,
  type AdminUserState,
} from '../../src/core/steps/admin-user.init.js';
import { RecordingIoHost } from '../support/recording-io-host.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';

const fresh: AdminUserState = {
  userName: 'alice',
  groupName: 'Administrators',
  userExists: false,
  inGroup: false,
  hasLoginProfile: false,
  groupHasAdminAccess: true,
  userHasChangePassword: false,
};

describe('admin user name', () => {
  it("follows IAM's user name rule [\\w+=,.@-]{1,64}", () => {
    for (const ok of ['alice', 'alice.smith@example.com', 'a', 'x+y=z,w-1_2', 'u'.repeat(64)]) expect(validateUserName(ok)).toBe(true);
    expect(validateUserName('')).toMatch(/Enter/);
    expect(validateUserName('u'.repeat(65))).toMatch(/64/);
    for (const bad of ['alice smith', 'alice/ops', 'zoë', 'a:b']) expect(validateUserName(bad)).toMatch(/Use only/);
  });

  it('suggests the login name when it names a person, else admin', () => {
    expect(suggestUserName('alice')).toBe('alice');
    expect(suggestUserName('Alice.Smith')).toBe('Alice.Smith');
    for (const generic of ['root', 'cloudshell-user', 'ec2-user', 'ubuntu', 'Admin', '']) expect(suggestUserName(generic)).toBe('admin');
    expect(suggestUserName('jean pierre')).toBe('admin');
  });
});

describe('admin user plan', () => {
  it('on a fresh account: user (tagged), group membership, then the console password', () => {
    expect(planAdminUser(fresh, { resetRequired: true }, 'aws')).toEqual([
      { action: 'create', target: 'iam:user/alice', detail: 'tag created-by: aws-bootstrap' },
      { action: 'add', target: 'iam:group/Administrators', detail: 'user alice' },
      { action: 'create', target: 'iam:user/alice/login-profile', detail: 'console password, new one required at first sign-in' },
    ]);
    expect(planAdminUser(fresh, { resetRequired: false }, 'aws')[2]!.detail).toBe('console password');
  });

  it('grants IAMUserChangePassword before the password only when a reset is required and the group lacks admin rights', () => {
    const plainGroup = { ...fresh, groupHasAdminAccess: false };
    expect(planAdminUser(plainGroup, { resetRequired: true }, 'aws').map((c) => `${c.action} ${c.target} ${c.detail}`)).toEqual([
      'create iam:user/alice tag created-by: aws-bootstrap',
      'add iam:group/Administrators user alice',
      'attach iam:user/alice IAMUserChangePassword',
      'create iam:user/alice/login-profile console password, new one required at first sign-in',
    ]);
    expect(planAdminUser(plainGroup, { resetRequired: false }, 'aws').map((c) => c.detail)).not.toContain('IAMUserChangePassword');
    const alreadyHasIt = { ...plainGroup, userExists: true, inGroup: true, userHasChangePassword: true };
    expect(planAdminUser(alreadyHasIt, { resetRequired: true }, 'aws').map((c) => c.target)).toEqual(['iam:user/alice/login-profile']);
  });

  it('adds an existing user to the group, and leaves a user with a console password alone', () => {
    const outside = { ...fresh, userExists: true, hasLoginProfile: true };
    expect(planAdminUser(outside, { resetRequired: true }, 'aws')).toEqual([
      { action: 'add', target: 'iam:group/Administrators', detail: 'user alice' },
    ]);
    expect(planAdminUser({ ...outside, inGroup: true }, { resetRequired: true }, 'aws')).toEqual([]);
    // A password is never replaced, even when the group lacks admin rights.
    expect(planAdminUser({ ...outside, inGroup: true, groupHasAdminAccess: false }, { resetRequired: true }, 'aws')).toEqual([]);
  });
});

describe('admin-user init against a mocked IAM', () => {
  const iam = mockClient(IAMClient);
  const sts = mockClient(STSClient);
  const clients = () =>
    createAwsClients({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } }, new RecordingIoHost());
  const noSuchEntity = (message: string) => new NoSuchEntityException({ message, $metadata: {} });
  const violation = () =>
    new PasswordPolicyViolationException({
      message: 'Password does not conform to the account password policy.',
      $metadata: { httpStatusCode: 400 },
    });

  /** An account with the admin group (AdministratorAccess) and a strict password policy; alice does not exist yet. */
  function account() {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/ops' });
    iam
      .on(ListAttachedGroupPoliciesCommand)
      .resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', PolicyName: 'AdministratorAccess' }] });
    // ListGroupsForUser answers NoSuchEntity for a user that does not exist, as IAM does: alice, until CreateUser.
    iam
      .on(ListGroupsForUserCommand)
      .rejectsOnce(noSuchEntity('The user with name alice cannot be found.'))
      .resolves({ Groups: [{ GroupName: 'Administrators', GroupId: 'g', Arn: 'arn:g', Path: '/', CreateDate: new Date() }] });
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
    iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'alice', CreateDate: new Date() } });
    iam.on(GetAccountPasswordPolicyCommand).resolves({
      PasswordPolicy: { MinimumPasswordLength: 16, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true },
    });
    iam.on(CreateUserCommand).resolves({});
    iam.on(AddUserToGroupCommand).resolves({});
  }

  const everythingShown = (io: ScriptedIoHost, result: unknown) => JSON.stringify({ log: io.log, result });

  beforeEach(() => {
    iam.reset();
    sts.reset();
  });
  afterEach(() => {
    iam.reset();
    sts.reset();
  });

  it('asks for another typed password when AWS rejects one (PasswordPolicyViolation: AWS enforcing the account password policy on CreateLoginProfile)', async () => {
    account();
    iam.on(CreateLoginProfileCommand).rejectsOnce(violation()).resolves({});
    const first = 'First-typed-Passw0rd!';
    const second = 'Second-typed-Passw0rd!';
    const io = new ScriptedIoHost({
      'admin-user.name': 'alice',
      'admin-user.password-mode': 'type',
      'admin-user.password': [first, second],
      'admin-user.password-reset-required': true,
      'admin-user.confirm': true,
    });
    const result = await runSteps(await clients(), io, 'admin-user');
    const row = result.report.steps.find((s) => s.id === 'admin-user')!;
    expect(row.status).toBe('created');

    const calls = iam.commandCalls(CreateLoginProfileCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Password)).toEqual([first, second]);
    expect(calls.every((c) => c.UserName === 'alice' && c.PasswordResetRequired === true)).toBe(true);
    expect(io.asked.filter((id) => id === 'admin-user.password')).toHaveLength(2);
    expect(io.messages('warn').join('\n')).toContain('AWS rejected the password for alice: PasswordPolicyViolationException');
    // The policy was read again before asking for the second password.
    expect(iam.commandCalls(GetAccountPasswordPolicyCommand)).toHaveLength(2);
    // A typed password is never shown back, and neither one appears anywhere.
    expect(io.secretsShown).toEqual([]);
    expect(everythingShown(io, result)).not.toContain(first);
    expect(everythingShown(io, result)).not.toContain(second);
  });

  it('fails with a clear message after AWS rejects generated passwords 3 times (PasswordPolicyViolation), never showing or naming them', async () => {
    account();
    iam.on(CreateLoginProfileCommand).rejects(violation());
    const io = new ScriptedIoHost({
      'admin-user.name': 'alice',
      'admin-user.password-mode': 'generate',
      'admin-user.password-reset-required': true,
      'admin-user.confirm': true,
    });
    const result = await runSteps(await clients(), io, 'admin-user');
    const row = result.report.steps.find((s) => s.id === 'admin-user')!;
    expect(row.status).toBe('failed');
    // The writes before the password were made and are reported.
    expect(row.changes.map((c) => `${c.action} ${c.target}`)).toEqual(['create iam:user/alice', 'add iam:group/Administrators']);
    const failure = result.facts.failures['admin-user']!;
    expect(failure).toContain('AWS rejected the console password for alice 3 times');
    expect(failure).toContain('PasswordPolicyViolation');
    expect(failure).toContain('aws-bootstrap init --only admin-user');

    const passwords = iam.commandCalls(CreateLoginProfileCommand).map((c) => c.args[0].input.Password!);
    expect(passwords).toHaveLength(3);
    expect(new Set(passwords).size).toBe(3);
    // Each was handed over before its CreateLoginProfile, and reported not set after the refusal.
    expect(io.handOvers).toEqual(passwords.map((value) => ({ label: 'Console password for alice', value, outcome: 'not-set' })));
    for (const password of passwords) {
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(failure).not.toContain(password);
      expect(everythingShown(io, result)).not.toContain(password);
    }
  });

  it('hands a generated password over once, before CreateLoginProfile (no crash in between can lose it), then reports it set', async () => {
    account();
    let shownBeforeCreate = -1;
    const io = new ScriptedIoHost({
      'admin-user.name': 'alice',
      'admin-user.password-mode': 'generate',
      'admin-user.password-reset-required': false,
      'admin-user.confirm': true,
    });
    iam.on(CreateLoginProfileCommand).callsFake(() => {
      shownBeforeCreate = io.secretsShown.length;
      return {};
    });
    const result = await runSteps(await clients(), io, 'admin-user');
    expect(result.report.steps.find((s) => s.id === 'admin-user')!.status).toBe('created');
    expect(shownBeforeCreate).toBe(1);
    const sent = iam.commandCalls(CreateLoginProfileCommand)[0]!.args[0].input;
    expect(sent.PasswordResetRequired).toBe(false);
    expect(io.secretsShown).toEqual([{ label: 'Console password for alice', value: sent.Password }]);
    expect(io.handOvers).toEqual([{ label: 'Console password for alice', value: sent.Password, outcome: 'set' }]);
    expect(JSON.stringify({ log: io.log, report: result.report, facts: result.facts })).not.toContain(sent.Password!);
    // Created with the tag, in this order: user, group, password.
    expect(iam.commandCalls(CreateUserCommand)[0]!.args[0].input.Tags).toEqual([{ Key: 'created-by', Value: 'aws-bootstrap' }]);
    const order = iam.calls().map((c) => (c.args[0] as object).constructor.name);
    expect(order.filter((n) => /^(Create|Add|Attach)/.test(n))).toEqual([
      'CreateUserCommand',
      'AddUserToGroupCommand',
      'CreateLoginProfileCommand',
    ]);
    expect(iam.commandCalls(AttachUserPolicyCommand)).toHaveLength(0);
  });

  it('carries on when someone else creates the user meanwhile (EntityAlreadyExists on CreateUser)', async () => {
    account();
    iam.on(CreateUserCommand).rejects(new EntityAlreadyExistsException({ message: 'User with name alice already exists.', $metadata: {} }));
    // The concurrent creator already put alice in the group, but gave her no password.
    // First read: no alice at all; after EntityAlreadyExists: alice without a login profile; after the password: one.
    iam
      .on(GetLoginProfileCommand)
      .rejectsOnce(noSuchEntity('The user with name alice cannot be found.'))
      .rejectsOnce(noSuchEntity('Login profile for alice not found'))
      .resolves({ LoginProfile: { UserName: 'alice', CreateDate: new Date() } });
    const io = new ScriptedIoHost({
      'admin-user.name': 'alice',
      'admin-user.password-mode': 'generate',
      'admin-user.password-reset-required': true,
      'admin-user.confirm': true,
    });
    const result = await runSteps(await clients(), io, 'admin-user');
    const row = result.report.steps.find((s) => s.id === 'admin-user')!;
    expect(row.status).toBe('updated');
    expect(row.changes.map((c) => `${c.action} ${c.target}`)).toEqual(['create iam:user/alice/login-profile']);
    expect(iam.commandCalls(AddUserToGroupCommand)).toHaveLength(0);
    expect(iam.commandCalls(CreateLoginProfileCommand)).toHaveLength(1);
    expect(io.messages('info').join('\n')).toContain('created by someone else meanwhile');
    expect(result.facts.adminUser).toBe('alice');
  });
  it('on a finished user reads only its groups and login profile: no GetUser (ListGroupsForUser answers NoSuchEntity for a missing user, as IAM does) and no ListAttachedUserPolicies', async () => {
    account();
    iam.on(ListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'Administrators', GroupId: 'g', Arn: 'arn:g', Path: '/', CreateDate: new Date() }] });
    const io = new ScriptedIoHost({ 'admin-user.name': 'alice' });
    const result = await runSteps(await clients(), io, 'admin-user');
    expect(result.report.steps.find((s) => s.id === 'admin-user')!.status).toBe('unchanged');
    const asked = iam.calls().map((c) => (c.args[0] as object).constructor.name);
    expect(asked).toContain('ListGroupsForUserCommand');
    expect(asked).toContain('GetLoginProfileCommand');
    expect(asked.filter((n) => n === 'GetUserCommand' || n === 'ListAttachedUserPoliciesCommand')).toEqual([]);
    expect(asked.filter((n) => !/^(Get|List)/.test(n))).toEqual([]);
  });

  describe('IAMUserChangePassword, read only when a password must be changed and the group does not grant it', () => {
    /** alice exists, in a group without AdministratorAccess, with no console password yet. */
    function plainGroupAccount(attachedToAlice: string[]) {
      account();
      iam.on(ListAttachedGroupPoliciesCommand).resolves({ AttachedPolicies: [] });
      iam.on(ListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'Administrators', GroupId: 'g', Arn: 'arn:g', Path: '/', CreateDate: new Date() }] });
      iam
        .on(GetLoginProfileCommand)
        .rejectsOnce(noSuchEntity('Login profile for alice not found'))
        .resolves({ LoginProfile: { UserName: 'alice', CreateDate: new Date() } });
      iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: attachedToAlice.map((PolicyArn) => ({ PolicyArn, PolicyName: PolicyArn.split('/').pop() })) });
      iam.on(AttachUserPolicyCommand).resolves({});
      iam.on(CreateLoginProfileCommand).resolves({});
    }
    const answers = (resetRequired: boolean) =>
      new ScriptedIoHost({
        'admin-user.name': 'alice',
        'admin-user.password-mode': 'generate',
        'admin-user.password-reset-required': resetRequired,
        'admin-user.confirm': true,
      });
    const changePassword = 'arn:aws:iam::aws:policy/IAMUserChangePassword';

    it('attaches it when alice lacks it, and verifies it is attached', async () => {
      plainGroupAccount([]);
      iam.on(ListAttachedUserPoliciesCommand).resolvesOnce({ AttachedPolicies: [] }).resolves({ AttachedPolicies: [{ PolicyArn: changePassword, PolicyName: 'IAMUserChangePassword' }] });
      const result = await runSteps(await clients(), answers(true), 'admin-user');
      const row = result.report.steps.find((s) => s.id === 'admin-user')!;
      expect(row.changes.map((c) => c.detail)).toEqual(['IAMUserChangePassword', 'console password, new one required at first sign-in']);
      expect(iam.commandCalls(AttachUserPolicyCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'alice', PolicyArn: changePassword }]);
      // Once to plan, once to verify.
      expect(iam.commandCalls(ListAttachedUserPoliciesCommand)).toHaveLength(2);
    });

    it('leaves it alone when alice has it already', async () => {
      plainGroupAccount([changePassword]);
      const result = await runSteps(await clients(), answers(true), 'admin-user');
      expect(result.report.steps.find((s) => s.id === 'admin-user')!.changes.map((c) => c.target)).toEqual(['iam:user/alice/login-profile']);
      expect(iam.commandCalls(AttachUserPolicyCommand)).toHaveLength(0);
      expect(iam.commandCalls(ListAttachedUserPoliciesCommand)).toHaveLength(1);
    });

    it('does not read it when no new password is required', async () => {
      plainGroupAccount([]);
      const result = await runSteps(await clients(), answers(false), 'admin-user');
      expect(result.report.steps.find((s) => s.id === 'admin-user')!.changes.map((c) => c.detail)).toEqual(['console password']);
      expect(iam.commandCalls(ListAttachedUserPoliciesCommand)).toHaveLength(0);
      expect(iam.commandCalls(AttachUserPolicyCommand)).toHaveLength(0);
    });
  });
});
