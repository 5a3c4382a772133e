import {
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPolicyVersionsCommand,
  paginateListAttachedGroupPolicies,
  paginateListPolicies,
} from '@aws-sdk/client-iam';
import { namedCall } from '../aws/aws-error.js';
import { isAwsErrorNamed, absentIfNoSuchEntity } from '../aws/aws-error-names.js';
import type { AwsClients } from '../aws/client-factory.js';
import { adminPolicyArn, type Partition } from '../aws/partition.js';
import { BootstrapError } from '../errors.js';
import type { Change } from '../init/init-report.js';
import { describeChange } from '../init/journal.js';
import {
  GUARD_POLICY_DESCRIPTION,
  GUARD_POLICY_NAME,
  GUARD_POLICY_PATH,
  guardPolicyArn,
  guardPolicyDocument,
  parsePolicyDocument,
  sameJson,
} from './mfa-guard-policy.js';
import type { InitContext, PrefetchContext, StepInit, StepOutcome } from './step.js';

export const DEFAULT_ADMIN_GROUP = 'Administrators';
/** IAM keeps at most five versions of a managed policy. */
export const MAX_POLICY_VERSIONS = 5;

/** IAM's rule for group names (CreateGroup): checked locally, before any call. */
export function validateGroupName(value: string): string | true {
  if (value.length === 0) return 'Enter a group name.';
  if (value.length > 128) return 'A group name has at most 128 characters.';
  return /^[\w+=,.@-]+$/.test(value) ? true : 'Use only letters, digits and + = , . @ _ -';
}

export interface PolicyVersionInfo {
  versionId: string;
  isDefault: boolean;
  createDate?: Date;
}

export type GuardPolicyState =
  | { exists: false }
  | { exists: true; upToDate: boolean; versions: PolicyVersionInfo[] };

/** What the plan needs to know about the account. */
export interface AdminGroupState {
  groupName: string;
  groupExists: boolean;
  attachedPolicyArns: string[];
  guard: GuardPolicyState;
}

export type AdminGroupAction =
  | { op: 'create-group'; change: Change }
  | { op: 'delete-policy-version'; versionId: string; change: Change }
  | { op: 'create-policy'; change: Change }
  | { op: 'update-policy'; change: Change }
  | { op: 'attach-policy'; policyArn: string; change: Change };

const guardTarget = `iam:policy${GUARD_POLICY_PATH}${GUARD_POLICY_NAME}`;

/** The oldest version that is not the default: the one to delete when IAM's five versions are used up. */
export function oldestNonDefaultVersion(versions: readonly PolicyVersionInfo[]): PolicyVersionInfo | undefined {
  const number = (id: string) => Number(/^v(\d+)$/.exec(id)?.[1] ?? Number.MAX_SAFE_INTEGER);
  return versions
    .filter((v) => !v.isDefault)
    .sort((a, b) => {
      const byDate = (a.createDate?.getTime() ?? 0) - (b.createDate?.getTime() ?? 0);
      return byDate !== 0 ? byDate : number(a.versionId) - number(b.versionId);
    })[0];
}

/**
 * Pure: the writes that take the current state to the baseline, in the order they must run so that an
 * interrupted run never leaves the account worse than before: the group, then the guard policy, then the
 * guard attached, and only then AdministratorAccess (an admin group is never without its MFA guard).
 */
export function planAdminGroupActions(
  state: AdminGroupState,
  target: { partition: Partition; accountId: string },
): AdminGroupAction[] {
  const group = `iam:group/${state.groupName}`;
  const actions: AdminGroupAction[] = [];
  if (!state.groupExists) actions.push({ op: 'create-group', change: { action: 'create', target: group, detail: '' } });

  actions.push(...planGuardActions(state.guard));

  const attached = new Set(state.groupExists ? state.attachedPolicyArns : []);
  const guardArn = guardPolicyArn(target.partition, target.accountId);
  if (!attached.has(guardArn)) {
    actions.push({ op: 'attach-policy', policyArn: guardArn, change: { action: 'attach', target: group, detail: GUARD_POLICY_NAME } });
  }
  const adminArn = adminPolicyArn(target.partition);
  if (!attached.has(adminArn)) {
    actions.push({ op: 'attach-policy', policyArn: adminArn, change: { action: 'attach', target: group, detail: 'AdministratorAccess' } });
  }
  return actions;
}

/** Pure: create the guard policy, or give it a new default version when its document is not ours. */
export function planGuardActions(guard: GuardPolicyState): AdminGroupAction[] {
  if (!guard.exists) {
    return [
      {
        op: 'create-policy',
        change: { action: 'create', target: guardTarget, detail: 'MFA guard: denies all but MFA set-up until signed in with MFA' },
      },
    ];
  }
  if (guard.upToDate) return [];
  const actions: AdminGroupAction[] = [];
  const oldest = guard.versions.length >= MAX_POLICY_VERSIONS ? oldestNonDefaultVersion(guard.versions) : undefined;
  if (oldest) {
    actions.push({
      op: 'delete-policy-version',
      versionId: oldest.versionId,
      change: { action: 'delete', target: guardTarget, detail: `version ${oldest.versionId} (IAM keeps at most 5)` },
    });
  }
  actions.push({
    op: 'update-policy',
    change: { action: 'update', target: guardTarget, detail: 'new default version with the current MFA guard' },
  });
  return actions;
}

/** Pure: the changes of `planAdminGroupActions`, as the report shows them. */
export function planAdminGroup(state: AdminGroupState, target: { partition: Partition; accountId: string }): Change[] {
  return planAdminGroupActions(state, target).map((a) => a.change);
}

/**
 * The ARNs of the policies attached to the group, or undefined when there is no such group: ListAttachedGroupPolicies
 * answers NoSuchEntity for a group that does not exist, so it also tells whether the group exists (no GetGroup).
 */
export async function readGroupPolicies(clients: AwsClients, groupName: string): Promise<string[] | undefined> {
  return absentIfNoSuchEntity(
    namedCall('iam:ListAttachedGroupPolicies', async () => {
      const arns: string[] = [];
      for await (const page of paginateListAttachedGroupPolicies({ client: clients.iam() }, { GroupName: groupName })) {
        for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) arns.push(p.PolicyArn);
      }
      return arns;
    }),
  );
}

/**
 * The guard policy as the run finds it, by listing the customer managed policies on its own path
 * (iam:ListPolicies): unlike GetPolicy, that needs no account id, so it goes out with the run's first reads
 * instead of after the caller's identity.
 */
async function findGuardPolicy(clients: AwsClients, partition: Partition): Promise<GuardPolicyState> {
  let found: { arn: string; defaultVersionId: string | undefined } | undefined;
  await namedCall('iam:ListPolicies', async () => {
    const pages = paginateListPolicies({ client: clients.iam(), pageSize: 1000 }, { Scope: 'Local', PathPrefix: GUARD_POLICY_PATH });
    for await (const page of pages) {
      const policy = page.Policies?.find((p) => p.PolicyName === GUARD_POLICY_NAME && p.Path === GUARD_POLICY_PATH);
      if (policy?.Arn) {
        found = { arn: policy.Arn, defaultVersionId: policy.DefaultVersionId };
        break;
      }
    }
  });
  return found === undefined ? { exists: false } : guardVersions(clients, partition, found.arn, found.defaultVersionId);
}

/** The guard policy read by its ARN (iam:GetPolicy): for re-reads after a write, where a listing may lag. */
async function readGuardPolicy(clients: AwsClients, partition: Partition, accountId: string): Promise<GuardPolicyState> {
  const arn = guardPolicyArn(partition, accountId);
  const out = await absentIfNoSuchEntity(
    namedCall('iam:GetPolicy', () => clients.iam().send(new GetPolicyCommand({ PolicyArn: arn }))),
  );
  return out === undefined ? { exists: false } : guardVersions(clients, partition, arn, out.Policy?.DefaultVersionId);
}

/** Whether the guard's default version is the document aws-bootstrap writes; its versions when it is not. */
async function guardVersions(
  clients: AwsClients,
  partition: Partition,
  arn: string,
  defaultVersionId: string | undefined,
): Promise<GuardPolicyState> {
  let upToDate = false;
  if (defaultVersionId) {
    const version = await namedCall('iam:GetPolicyVersion', () =>
      clients.iam().send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: defaultVersionId })),
    );
    upToDate = sameJson(parsePolicyDocument(version.PolicyVersion?.Document ?? ''), guardPolicyDocument(partition));
  }
  if (upToDate) return { exists: true, upToDate, versions: [] };
  // A policy has at most five versions: one page.
  const listed = await namedCall('iam:ListPolicyVersions', () =>
    clients.iam().send(new ListPolicyVersionsCommand({ PolicyArn: arn })),
  );
  const versions = (listed.Versions ?? []).map((v) => ({
    versionId: v.VersionId ?? '',
    isDefault: v.IsDefaultVersion === true,
    ...(v.CreateDate ? { createDate: v.CreateDate } : {}),
  }));
  return { exists: true, upToDate, versions };
}

async function readState(clients: AwsClients, groupName: string, partition: Partition): Promise<AdminGroupState> {
  const [attached, guard] = await Promise.all([readGroupPolicies(clients, groupName), findGuardPolicy(clients, partition)]);
  return { groupName, groupExists: attached !== undefined, attachedPolicyArns: attached ?? [], guard };
}

export const adminGroupInit: StepInit = {
  why:
    'Admin rights go to a group, and people get them by joining it, so nobody holds rights on their own. ' +
    'A guard policy on the same group blocks everything until the person has signed in with MFA.',
  prefetch(context: PrefetchContext) {
    const { clients, partition } = context;
    const guard = findGuardPolicy(clients, partition);
    const groupName = context.io.knownAnswer?.('admin-group.name');
    if (groupName === undefined || validateGroupName(groupName) !== true) return guard;
    // The reads of readState, all in the first round.
    return Promise.all([readGroupPolicies(clients, groupName), guard]);
  },
  async run(context: InitContext): Promise<StepOutcome> {
    const { clients, io, partition } = context;
    const groupName = await io.text({
      id: 'admin-group.name',
      message: 'Name of the admin group',
      default: DEFAULT_ADMIN_GROUP,
      validate: validateGroupName,
    });
    context.shared.adminGroupName = groupName;
    const { accountId } = await context.reader.read('caller');
    const target = { partition, accountId };
    const guardArn = guardPolicyArn(partition, accountId);
    const adminArn = adminPolicyArn(partition);

    const state = await readState(clients, groupName, partition);
    io.info(describeState(state, guardArn, adminArn));
    const actions = planAdminGroupActions(state, target);
    const changes = actions.map((a) => a.change);
    if (changes.length === 0) return { status: 'unchanged', changes };
    if (context.dryRun) return { status: 'planned', changes };

    io.info(`Planned changes:\n${changes.map((c) => `  - ${describeChange(c)}`).join('\n')}`);
    const ok = await io.confirm({ id: 'admin-group.confirm', message: `Apply these changes to "${groupName}"?`, default: true });
    if (!ok) return { status: 'skipped', changes: [] };

    const done: Change[] = [];
    const record = (change: Change) => {
      done.push(change);
      context.record(change);
    };
    let created = false;
    for (const action of actions) {
      switch (action.op) {
        case 'create-group':
          try {
            await namedCall('iam:CreateGroup', () => clients.iam().send(new CreateGroupCommand({ GroupName: groupName })));
            created = true;
            record(action.change);
          } catch (error) {
            // Made by someone else since the read: use it.
            if (!isAwsErrorNamed(error, 'EntityAlreadyExists')) throw error;
          }
          break;
        case 'create-policy':
          try {
            await namedCall('iam:CreatePolicy', () =>
              clients.iam().send(
                new CreatePolicyCommand({
                  PolicyName: GUARD_POLICY_NAME,
                  Path: GUARD_POLICY_PATH,
                  Description: GUARD_POLICY_DESCRIPTION,
                  PolicyDocument: JSON.stringify(guardPolicyDocument(partition)),
                }),
              ),
            );
            record(action.change);
          } catch (error) {
            if (!isAwsErrorNamed(error, 'EntityAlreadyExists')) throw error;
            // Made since the read (a concurrent run): bring that one up to date instead.
            const fresh = await readGuardPolicy(clients, partition, accountId);
            for (const step of planGuardActions(fresh)) await applyGuardVersionAction(context, step, guardArn, record);
          }
          break;
        case 'delete-policy-version':
        case 'update-policy':
          await applyGuardVersionAction(context, action, guardArn, record);
          break;
        case 'attach-policy':
          await namedCall('iam:AttachGroupPolicy', () =>
            clients.iam().send(new AttachGroupPolicyCommand({ GroupName: groupName, PolicyArn: action.policyArn })),
          );
          record(action.change);
          break;
      }
    }

    await verify(context, groupName, guardArn, adminArn, accountId);
    return { status: created ? 'created' : done.length > 0 ? 'updated' : 'unchanged', changes: done };
  },
};

async function applyGuardVersionAction(
  context: InitContext,
  action: AdminGroupAction,
  guardArn: string,
  record: (change: Change) => void,
): Promise<void> {
  const iam = context.clients.iam();
  if (action.op === 'delete-policy-version') {
    await namedCall('iam:DeletePolicyVersion', () =>
      iam.send(new DeletePolicyVersionCommand({ PolicyArn: guardArn, VersionId: action.versionId })),
    );
    record(action.change);
  } else if (action.op === 'update-policy') {
    await namedCall('iam:CreatePolicyVersion', () =>
      iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: guardArn,
          PolicyDocument: JSON.stringify(guardPolicyDocument(context.partition)),
          SetAsDefault: true,
        }),
      ),
    );
    record(action.change);
  }
}

/** Re-reads what was written: both policies attached, and the guard's default version is ours. */
async function verify(context: InitContext, groupName: string, guardArn: string, adminArn: string, accountId: string) {
  const attached = (await readGroupPolicies(context.clients, groupName)) ?? [];
  const missing = [guardArn, adminArn].filter((arn) => !attached.includes(arn));
  if (missing.length > 0) {
    throw new BootstrapError(
      'AWS_ERROR',
      `ListAttachedGroupPolicies does not show ${missing.join(' and ')} on the group "${groupName}" after attaching.`,
    );
  }
  const guard = await readGuardPolicy(context.clients, context.partition, accountId);
  if (!guard.exists || !guard.upToDate) {
    throw new BootstrapError('AWS_ERROR', `The default version of ${guardArn} is not the MFA guard after updating it.`);
  }
}

function describeState(state: AdminGroupState, guardArn: string, adminArn: string): string {
  const lines: string[] = [];
  if (!state.groupExists) {
    lines.push(`The group "${state.groupName}" does not exist yet.`);
  } else {
    const has = (arn: string) => state.attachedPolicyArns.includes(arn);
    lines.push(
      `The group "${state.groupName}" exists: AdministratorAccess ${has(adminArn) ? 'attached' : 'not attached'}, ` +
        `MFA guard ${has(guardArn) ? 'attached' : 'not attached'}.`,
    );
  }
  if (!state.guard.exists) lines.push(`The MFA guard policy ${GUARD_POLICY_NAME} does not exist yet.`);
  else if (!state.guard.upToDate) lines.push(`The MFA guard policy ${GUARD_POLICY_NAME} differs from the current one.`);
  return lines.join('\n');
}
