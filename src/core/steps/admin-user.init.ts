import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  GetAccountPasswordPolicyCommand,
  GetLoginProfileCommand,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  type PasswordPolicy,
} from '@aws-sdk/client-iam';
import { describeAwsError, namedCall } from '../aws/aws-error.js';
import { isAwsErrorNamed, absentIfNoSuchEntity } from '../aws/aws-error-names.js';
import type { AwsClients } from '../aws/client-factory.js';
import { adminPolicyArn, type Partition } from '../aws/partition.js';
import { BootstrapError } from '../errors.js';
import type { Change } from '../init/init-report.js';
import { describeChange } from '../init/journal.js';
import { DEFAULT_ADMIN_GROUP, readGroupPolicies } from './admin-group.init.js';
import { checkPassword, describeRules, generatePassword, passwordRules, type PasswordRules } from './password.js';
import { loginName } from '../login-name.js';
import type { SecretHandOver } from '../io-host.js';
import type { InitContext, PrefetchContext, StepInit, StepOutcome } from './step.js';

export const DEFAULT_ADMIN_USER = 'admin';
export const CREATED_BY_TAG = { Key: 'created-by', Value: 'aws-bootstrap' } as const;
/** Tries at CreateLoginProfile when AWS rejects the password (PasswordPolicyViolation). */
const PASSWORD_ATTEMPTS = 3;

export function changePasswordPolicyArn(partition: Partition): string {
  return `arn:${partition}:iam::aws:policy/IAMUserChangePassword`;
}

/** IAM's rule for user names (CreateUser): checked locally, before any call. */
export function validateUserName(value: string): string | true {
  if (value.length === 0) return 'Enter a user name.';
  if (value.length > 64) return 'A user name has at most 64 characters.';
  return /^[\w+=,.@-]+$/.test(value) ? true : 'Use only letters, digits and + = , . @ _ -';
}

/** The person's login name when it names a person, else `admin`. */
export function suggestUserName(login: string): string {
  const generic = new Set(['', 'root', 'admin', 'administrator', 'user', 'ubuntu', 'ec2-user', 'cloudshell-user', 'runner', 'node', 'vscode', 'codespace']);
  return !generic.has(login.toLowerCase()) && validateUserName(login) === true ? login : DEFAULT_ADMIN_USER;
}

/** What the plan needs to know about the account. */
export interface AdminUserState {
  userName: string;
  groupName: string;
  userExists: boolean;
  inGroup: boolean;
  hasLoginProfile: boolean;
  /** The admin group has AdministratorAccess, which includes iam:ChangePassword. */
  groupHasAdminAccess: boolean;
  /**
   * IAMUserChangePassword is attached to the user already. Read only when the plan depends on it (see
   * `withChangePasswordRead`); unread, the plan attaches it where it is needed (AttachUserPolicy is idempotent).
   */
  userHasChangePassword?: boolean;
}

export interface AdminUserChoices {
  /** The person must choose a new password at first sign-in (only used when a login profile is created). */
  resetRequired: boolean;
}

export type AdminUserAction =
  | { op: 'create-user'; change: Change }
  | { op: 'add-to-group'; change: Change }
  | { op: 'attach-change-password'; policyArn: string; change: Change }
  | { op: 'create-login-profile'; change: Change };

/**
 * Pure: the writes that take the current state to an admin user who can sign in, in the order that keeps a
 * crash harmless: the user, then its group membership, then (if it must reset its password and the group does
 * not grant it) iam:ChangePassword, and the console password last. A user is never left with a password but
 * outside its group.
 */
export function planAdminUserActions(state: AdminUserState, choices: AdminUserChoices, partition: Partition): AdminUserAction[] {
  const user = `iam:user/${state.userName}`;
  const actions: AdminUserAction[] = [];
  if (!state.userExists) {
    actions.push({ op: 'create-user', change: { action: 'create', target: user, detail: `tag ${CREATED_BY_TAG.Key}: ${CREATED_BY_TAG.Value}` } });
  }
  if (!state.userExists || !state.inGroup) {
    actions.push({ op: 'add-to-group', change: { action: 'add', target: `iam:group/${state.groupName}`, detail: `user ${state.userName}` } });
  }
  if (!state.hasLoginProfile) {
    if (needsChangePassword(state, choices) && !(state.userExists && state.userHasChangePassword === true)) {
      actions.push({
        op: 'attach-change-password',
        policyArn: changePasswordPolicyArn(partition),
        change: { action: 'attach', target: user, detail: 'IAMUserChangePassword' },
      });
    }
    actions.push({
      op: 'create-login-profile',
      change: {
        action: 'create',
        target: `${user}/login-profile`,
        detail: choices.resetRequired ? 'console password, new one required at first sign-in' : 'console password',
      },
    });
  }
  return actions;
}

/**
 * Pure: whether the user gets a console password it must change at first sign-in while its group does not grant
 * iam:ChangePassword, the one case where IAMUserChangePassword matters (so the one case where it is read).
 */
function needsChangePassword(state: AdminUserState, choices: AdminUserChoices): boolean {
  return !state.hasLoginProfile && choices.resetRequired && !state.groupHasAdminAccess;
}

/** Pure: the changes of `planAdminUserActions`, as the report shows them. */
export function planAdminUser(state: AdminUserState, choices: AdminUserChoices, partition: Partition): Change[] {
  return planAdminUserActions(state, choices, partition).map((a) => a.change);
}


async function readGroup(clients: AwsClients, groupName: string): Promise<{ adminAccess: boolean } | undefined> {
  const attached = await readGroupPolicies(clients, groupName);
  return attached === undefined ? undefined : { adminAccess: attached.includes(adminPolicyArn(clients.partition)) };
}

/** The reads of readGroup and readUser, all in the first round. */
function readAhead(clients: AwsClients, groupName: string, userName: string): Promise<unknown> {
  return Promise.all([readGroup(clients, groupName), readUser(clients, userName)]);
}

interface UserFacts {
  userExists: boolean;
  groups: string[];
  hasLoginProfile: boolean;
}

/**
 * The user's groups and whether it has a console password, read side by side. ListGroupsForUser answers
 * NoSuchEntity for a user that does not exist, so it also tells whether the user exists (no GetUser); a missing
 * user's GetLoginProfile answers NoSuchEntity too.
 */
async function readUser(clients: AwsClients, userName: string): Promise<UserFacts> {
  const iam = clients.iam();
  const [groups, profile] = await Promise.all([
    absentIfNoSuchEntity(
      namedCall('iam:ListGroupsForUser', async () => {
        const names: string[] = [];
        for await (const page of paginateListGroupsForUser({ client: iam }, { UserName: userName })) {
          for (const g of page.Groups ?? []) if (g.GroupName) names.push(g.GroupName);
        }
        return names;
      }),
    ),
    absentIfNoSuchEntity(namedCall('iam:GetLoginProfile', () => iam.send(new GetLoginProfileCommand({ UserName: userName })))),
  ]);
  if (groups === undefined) return { userExists: false, groups: [], hasLoginProfile: false };
  return { userExists: true, groups, hasLoginProfile: profile !== undefined };
}

/** Whether IAMUserChangePassword is attached to the user (ListAttachedUserPolicies). */
async function readChangePasswordAttached(clients: AwsClients, userName: string): Promise<boolean> {
  const arn = changePasswordPolicyArn(clients.partition);
  return namedCall('iam:ListAttachedUserPolicies', async () => {
    for await (const page of paginateListAttachedUserPolicies({ client: clients.iam() }, { UserName: userName })) {
      if (page.AttachedPolicies?.some((p) => p.PolicyArn === arn)) return true;
    }
    return false;
  });
}

/** The state with `userHasChangePassword` read, when the plan depends on it (an existing user only). */
async function withChangePasswordRead(clients: AwsClients, state: AdminUserState, choices: AdminUserChoices): Promise<AdminUserState> {
  if (!state.userExists || !needsChangePassword(state, choices)) return state;
  return { ...state, userHasChangePassword: await readChangePasswordAttached(clients, state.userName) };
}

async function readPasswordRules(clients: AwsClients): Promise<PasswordRules> {
  const out = await absentIfNoSuchEntity(
    namedCall('iam:GetAccountPasswordPolicy', () => clients.iam().send(new GetAccountPasswordPolicyCommand({}))),
  );
  const policy: PasswordPolicy | undefined = out?.PasswordPolicy;
  return passwordRules(policy);
}

function stateOf(userName: string, groupName: string, groupHasAdminAccess: boolean, facts: UserFacts): AdminUserState {
  return {
    userName,
    groupName,
    userExists: facts.userExists,
    inGroup: facts.groups.includes(groupName),
    hasLoginProfile: facts.hasLoginProfile,
    groupHasAdminAccess,
  };
}

type PasswordMode = 'generate' | 'type';

/**
 * Where the password to set comes from, and where to get another one if AWS rejects it. A typed password is
 * asked for before the plan is confirmed; a generated one is handed over to the IO host just before it is set
 * (see `InteractiveIoHost.handOverSecret`). Never shown, logged or recorded otherwise.
 */
interface PasswordSource {
  mode: PasswordMode;
  /** A typed password reports nothing back: `settled` does nothing for it. */
  next(rules: PasswordRules): Promise<SecretHandOver>;
}

function passwordSource(context: InitContext, mode: PasswordMode, userName: string): PasswordSource {
  const { io } = context;
  return {
    mode,
    next: async (rules) =>
      mode === 'generate'
        ? io.handOverSecret({
            label: `Console password for ${userName}`,
            generate: () => generatePassword(rules, userName),
            validate: (value) => checkPassword(value, rules, userName),
          })
        : {
            value: await io.secret({
              id: 'admin-user.password',
              message: `Console password for ${userName} (${describeRules(rules)})`,
              confirmMessage: 'Type the password again',
              validate: (value) => checkPassword(value, rules, userName),
            }),
            settled: () => undefined,
          },
  };
}

export const adminUserInit: StepInit = {
  why:
    'Day-to-day work happens as an IAM user in the admin group, so the root user (which can do anything, ' +
    'including closing the account) can stay locked away. The user gets a password to sign in to the console.',
  async prefetch(context: PrefetchContext) {
    const userName = context.io.knownAnswer?.('admin-user.name');
    if (userName === undefined || validateUserName(userName) !== true) return;
    const groupName = context.io.knownAnswer?.('admin-group.name') ?? DEFAULT_ADMIN_GROUP;
    await readAhead(context.clients, groupName, userName);
  },
  async run(context: InitContext): Promise<StepOutcome> {
    const { clients, io, partition } = context;
    const userName = await io.text({
      id: 'admin-user.name',
      message: 'Name of the admin IAM user (you sign in with it)',
      default: suggestUserName(loginName()),
      validate: validateUserName,
    });
    const groupName = context.shared.adminGroupName ?? DEFAULT_ADMIN_GROUP;

    const [group, userFacts] = await Promise.all([readGroup(clients, groupName), readUser(clients, userName)]);
    let groupHasAdminAccess: boolean;
    if (context.dryRun && context.shared.adminGroupName !== undefined) {
      // admin-group planned this group in the same dry run: it would exist with AdministratorAccess by now.
      if (!group) io.info(`The group "${groupName}" does not exist yet: the admin-group step would create it.`);
      groupHasAdminAccess = true;
    } else if (group) {
      groupHasAdminAccess = group.adminAccess;
      if (!groupHasAdminAccess) {
        io.warn(`The group "${groupName}" does not have AdministratorAccess: run \`aws-bootstrap init --only admin-group\`.`);
      }
    } else {
      throw new BootstrapError(
        'USAGE',
        `The admin group "${groupName}" does not exist, so there is no group to put the admin user in. ` +
          'Run the admin-group step first: `aws-bootstrap init --only admin-group,admin-user`.',
      );
    }

    let state = stateOf(userName, groupName, groupHasAdminAccess, userFacts);
    io.info(describeState(state));

    let source: PasswordSource | undefined;
    let rules: PasswordRules | undefined;
    let typed: SecretHandOver | undefined;
    let resetRequired = true;
    if (!state.hasLoginProfile) {
      if (!context.dryRun) {
        const mode = await io.select<PasswordMode>({
          id: 'admin-user.password-mode',
          message: `Console password for ${userName}`,
          choices: [
            { value: 'generate', name: 'Generate a strong password', description: 'Shown once, after it is set.' },
            { value: 'type', name: 'Type a password', description: 'Typed twice, not shown.' },
          ],
          default: 'generate',
        });
        rules = await readPasswordRules(clients);
        source = passwordSource(context, mode, userName);
        if (mode === 'type') typed = await source.next(rules);
      }
      resetRequired = await io.confirm({
        id: 'admin-user.password-reset-required',
        message: `Require ${userName} to choose a new password at first sign-in?`,
        default: true,
      });
    }

    const choices: AdminUserChoices = { resetRequired };
    state = await withChangePasswordRead(clients, state, choices);
    const actions = planAdminUserActions(state, choices, partition);
    const changes = actions.map((a) => a.change);
    context.shared.adminUserName = userName;
    if (changes.length === 0) {
      context.facts.adminUser = userName;
      return { status: 'unchanged', changes };
    }
    if (context.dryRun) return { status: 'planned', changes };

    io.info(`Planned changes:\n${changes.map((c) => `  - ${describeChange(c)}`).join('\n')}`);
    const ok = await io.confirm({ id: 'admin-user.confirm', message: `Apply these changes for "${userName}"?`, default: true });
    if (!ok) {
      delete context.shared.adminUserName;
      if (state.userExists) context.facts.adminUser = userName;
      return { status: 'skipped', changes: [] };
    }

    const done: Change[] = [];
    const record = (change: Change) => {
      done.push(change);
      context.record(change);
    };
    let created = false;
    let passwordSet = false;
    let changePasswordAttached = false;
    const pending = [...actions];
    while (pending.length > 0) {
      const action = pending.shift()!;
      switch (action.op) {
        case 'create-user':
          try {
            await namedCall('iam:CreateUser', () =>
              clients.iam().send(new CreateUserCommand({ UserName: userName, Tags: [{ ...CREATED_BY_TAG }] })),
            );
            created = true;
            record(action.change);
          } catch (error) {
            if (!isAwsErrorNamed(error, 'EntityAlreadyExists')) throw error;
            // Someone made the user since the read: read it again and do only what is still missing.
            io.info(`The user ${userName} was created by someone else meanwhile: using it.`);
            state = await withChangePasswordRead(clients, stateOf(userName, groupName, groupHasAdminAccess, await readUser(clients, userName)), choices);
            pending.splice(0, pending.length, ...planAdminUserActions(state, choices, partition).filter((a) => a.op !== 'create-user'));
          }
          break;
        case 'add-to-group':
          await namedCall('iam:AddUserToGroup', () =>
            clients.iam().send(new AddUserToGroupCommand({ GroupName: groupName, UserName: userName })),
          );
          record(action.change);
          break;
        case 'attach-change-password':
          await namedCall('iam:AttachUserPolicy', () =>
            clients.iam().send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: action.policyArn })),
          );
          changePasswordAttached = true;
          record(action.change);
          break;
        case 'create-login-profile':
          passwordSet = await createLoginProfile(context, { userName, groupName, resetRequired, source: source!, rules: rules!, typed });
          if (passwordSet) record(action.change);
          break;
      }
    }
    typed = undefined;

    await verify(clients, userName, groupName, {
      loginProfile: state.hasLoginProfile || passwordSet,
      changePassword: changePasswordAttached,
    });
    context.facts.adminUser = userName;
    if (context.facts.signInUrl) io.info(`${userName} signs in at ${context.facts.signInUrl}`);
    return { status: created ? 'created' : done.length > 0 ? 'updated' : 'unchanged', changes: done };
  },
};

/**
 * CreateLoginProfile with a password from `source` (a typed one was asked for before the plan was confirmed).
 * A generated password is handed over first, so no crash can lose one AWS has set. If AWS rejects the password
 * (PasswordPolicyViolation: the policy changed since it was read, or has a rule not known here), asks for or
 * generates another against the policy read again. Returns false when the user has a console password already.
 */
async function createLoginProfile(
  context: InitContext,
  input: {
    userName: string;
    groupName: string;
    resetRequired: boolean;
    source: PasswordSource;
    rules: PasswordRules;
    typed: SecretHandOver | undefined;
  },
): Promise<boolean> {
  const { clients, io } = context;
  const { userName, source } = input;
  let password = input.typed ?? (await source.next(input.rules));
  for (let attempt = 1; ; attempt += 1) {
    try {
      await namedCall('iam:CreateLoginProfile', () =>
        clients.iam().send(
          new CreateLoginProfileCommand({ UserName: userName, Password: password.value, PasswordResetRequired: input.resetRequired }),
        ),
      );
    } catch (error) {
      if (isAwsErrorNamed(error, 'EntityAlreadyExists')) {
        // Someone else's, or this very password if an earlier attempt of this call got through unanswered.
        password.settled('unknown');
        io.info(`${userName} has a console password already (set meanwhile): left as it is.`);
        return false;
      }
      // Any other failure leaves the outcome unknown: the host keeps the password it was handed.
      if (!isAwsErrorNamed(error, 'PasswordPolicyViolation')) throw error;
      password.settled('not-set');
      // AWS's message describes the policy, never the password.
      const why = describeAwsError(error);
      if (attempt >= PASSWORD_ATTEMPTS) {
        throw new BootstrapError(
          'AWS_ERROR',
          `AWS rejected the console password for ${userName} ${attempt} times (${why}). ${userName} exists and is in ` +
            `"${input.groupName}" but has no console password: run \`aws-bootstrap init --only admin-user\` again.`,
          { cause: error },
        );
      }
      io.warn(`AWS rejected the password for ${userName}: ${why}`);
      password = await source.next(await readPasswordRules(clients));
      continue;
    }
    password.settled('set');
    return true;
  }
}

/** Re-reads what was written: the user exists, is in the group, and has a console password. */
async function verify(
  clients: AwsClients,
  userName: string,
  groupName: string,
  expect: { loginProfile: boolean; changePassword: boolean },
): Promise<void> {
  const [facts, changePassword] = await Promise.all([
    readUser(clients, userName),
    expect.changePassword ? readChangePasswordAttached(clients, userName) : true,
  ]);
  const problems: string[] = [];
  if (!facts.userExists) problems.push('ListGroupsForUser does not find the user');
  else {
    if (!facts.groups.includes(groupName)) problems.push(`ListGroupsForUser does not list "${groupName}"`);
    if (expect.loginProfile && !facts.hasLoginProfile) problems.push('GetLoginProfile finds no console password');
    if (!changePassword) problems.push('IAMUserChangePassword is not attached');
  }
  if (problems.length > 0) {
    throw new BootstrapError('AWS_ERROR', `After setting up ${userName}: ${problems.join('; ')}.`);
  }
}

function describeState(state: AdminUserState): string {
  if (!state.userExists) return `The user ${state.userName} does not exist yet.`;
  return (
    `The user ${state.userName} exists: ${state.inGroup ? 'in' : 'not in'} "${state.groupName}", ` +
    (state.hasLoginProfile ? 'already has a console password (left as it is).' : 'no console password yet.')
  );
}
