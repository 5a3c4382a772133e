import { DeleteAccessKeyCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { namedCall } from '../aws/aws-error.js';
import { isAwsErrorNamed } from '../aws/aws-error-names.js';
import type { AwsClients } from '../aws/client-factory.js';
import type { Change } from '../init/init-report.js';
import { readRootSummary, rootMfaConsoleUrl, waitForConsoleFix } from './root-mfa.init.js';
import type { InitContext, PrefetchContext, StepInit, StepOutcome } from './step.js';

export interface RootAccessKey {
  accessKeyId: string;
  /** Active, Inactive or Expired. */
  status: string;
}

function deletion(key: RootAccessKey, own: boolean): Change {
  return {
    action: 'delete',
    target: `iam:root-access-key/${key.accessKeyId}`,
    detail: own
      ? `root access key ${key.accessKeyId} (${key.status}; the key this run signs with: deleted last)`
      : `root access key ${key.accessKeyId} (${key.status})`,
  };
}

/**
 * Pure: every root access key is deleted; the one this run signs its calls with (if it is one of them) comes
 * last, since nothing can be called after it is gone.
 */
export function planRootKeyDeletion(
  keys: readonly RootAccessKey[],
  ownKeyId: string | undefined,
): { changes: Change[]; others: RootAccessKey[]; own: RootAccessKey | undefined } {
  const own = keys.find((k) => k.accessKeyId === ownKeyId);
  const others = keys.filter((k) => k !== own);
  const changes = others.map((k) => deletion(k, false));
  if (own) changes.push(deletion(own, true));
  return { changes, others, own };
}

/** Signed with root credentials, ListAccessKeys without UserName lists the root user's own keys (at most 2: one page). */
async function listRootAccessKeys(clients: AwsClients): Promise<RootAccessKey[]> {
  const out = await namedCall('iam:ListAccessKeys', () => clients.iam().send(new ListAccessKeysCommand({})));
  return (out.AccessKeyMetadata ?? []).map((k) => ({ accessKeyId: k.AccessKeyId ?? '', status: k.Status ?? 'Active' }));
}

function deleteRootAccessKey(clients: AwsClients, accessKeyId: string): Promise<unknown> {
  // Without UserName: the key belongs to the identity that signs the call, here the root user.
  return namedCall('iam:DeleteAccessKey', () =>
    clients.iam().send(new DeleteAccessKeyCommand({ AccessKeyId: accessKeyId })),
  );
}

/** The access key id of the credentials this run signs with (none for credentials without one). */
async function ownAccessKeyId(clients: AwsClients): Promise<string | undefined> {
  try {
    const credentials = await clients.iam().config.credentials();
    return credentials.accessKeyId || undefined;
  } catch {
    return undefined;
  }
}

function leftToDoLine(context: InitContext): string {
  return (
    "Delete the root user's access keys: sign in as root at " +
    `${rootMfaConsoleUrl(context.partition)} ("Access keys"), or run \`aws-bootstrap init --only root-access-keys\` ` +
    'as root in AWS CloudShell.'
  );
}

/** Root and signed with root credentials: list the keys, say which one the run itself uses, delete them. */
async function deleteAsRoot(context: InitContext, keys: RootAccessKey[]): Promise<StepOutcome> {
  const { clients, io } = context;
  if (keys.length === 0) {
    io.info('The root user has no access keys.');
    return { status: 'unchanged', changes: [] };
  }
  const ownKeyId = await ownAccessKeyId(clients);
  const plan = planRootKeyDeletion(keys, ownKeyId);
  const count = keys.length;
  io.info(
    [
      `The root user has ${count} access key${count === 1 ? '' : 's'}. A root access key gives whoever holds it full ` +
        'control of the account, without MFA: AWS recommends having none.',
      ...keys.map((k) => `  ${k.accessKeyId}  ${k.status}${k === plan.own ? '  (the key this run uses)' : ''}`),
    ].join('\n'),
  );
  if (plan.own) {
    io.info(
      `${plan.own.accessKeyId} is the key this run signs its calls with: deleting it ends this run's access. It is ` +
        'deleted last, after every other step; then remove it from your credentials file (~/.aws/credentials) or ' +
        'environment (AWS_ACCESS_KEY_ID). Next time, run aws-bootstrap as root in AWS CloudShell (no access key ' +
        'needed) or as your admin user.',
    );
  }
  if (context.dryRun) return { status: 'planned', changes: plan.changes };

  const ok = await io.confirm({
    id: 'root-access-keys.confirm',
    message: `Delete ${count} root access key${count === 1 ? '' : 's'}?`,
    default: true,
  });
  if (!ok) {
    context.facts.leftToDo.push(leftToDoLine(context));
    return { status: 'skipped', changes: [] };
  }

  const changes: Change[] = [];
  for (const key of plan.others) {
    await deleteRootAccessKey(clients, key.accessKeyId);
    const change = deletion(key, false);
    context.record(change);
    changes.push(change);
  }

  const remaining = (await listRootAccessKeys(clients)).map((k) => k.accessKeyId);
  const expected = plan.own ? [plan.own.accessKeyId] : [];
  if (remaining.length !== expected.length || remaining.some((id) => !expected.includes(id))) {
    throw new Error(
      `ListAccessKeys still shows root access keys ${remaining.join(', ')} after deleting ${plan.others.map((k) => k.accessKeyId).join(', ')}.`,
    );
  }

  const own = plan.own;
  if (own) {
    context.defer(`delete the root access key ${own.accessKeyId} this run signs its calls with`, async () => {
      await deleteRootAccessKey(clients, own.accessKeyId);
      const change = deletion(own, true);
      context.record(change);
      // The same array the report holds: the deletion is listed only once it has happened. No re-read is
      // possible afterwards: the key that would sign it no longer exists.
      changes.push(change);
      io.info(`Deleted ${own.accessKeyId}, the root access key this run used: it can make no more AWS calls.`);
      context.facts.leftToDo.push(
        `Remove the deleted root access key ${own.accessKeyId} from your credentials file (~/.aws/credentials) or environment.`,
      );
    });
  }
  return { status: 'updated', changes };
}

/** Not root (or root without a listable key): only a person signed in as root can delete them, in the console. */
async function guideToConsole(context: InitContext): Promise<StepOutcome> {
  const { clients, io, partition } = context;
  if (!(await readRootSummary(clients)).rootAccessKeysPresent) {
    io.info('The root user has no access keys.');
    return { status: 'unchanged', changes: [] };
  }
  io.info(
    [
      'The root user has at least one access key. Whoever holds it has full control of the account, without MFA: AWS ' +
        'recommends having none. Only the root user can delete them.',
      `1. Sign in as the root user and open ${rootMfaConsoleUrl(partition)}`,
      '2. Under "Access keys", deactivate each key, then delete it (if something still uses a key, deactivating ' +
        'first lets you turn it back on).',
      'Or run `aws-bootstrap init --only root-access-keys` as root in AWS CloudShell: it deletes them for you.',
    ].join('\n'),
  );
  const done = await waitForConsoleFix(
    context,
    {
      id: 'root-access-keys.next',
      recheckLabel: 'I have deleted them: check again',
      stillMessage: 'AWS still reports root access keys (GetAccountSummary: AccountAccessKeysPresent is 1).',
    },
    async () => !(await readRootSummary(clients)).rootAccessKeysPresent,
  );
  if (done) {
    io.info('Checked: the root user has no access keys any more.');
    return { status: 'updated', changes: [] };
  }
  context.facts.leftToDo.push(leftToDoLine(context));
  return { status: 'manual', changes: [] };
}

export const rootAccessKeysInit: StepInit = {
  why:
    'An access key lets a program act as its owner. One for the root user can do anything in the account and is ' +
    'not protected by MFA; people and programs should use IAM users or roles instead.',
  async prefetch(context: PrefetchContext) {
    const caller = await context.reader.read('caller');
    return caller.isRoot ? listRootAccessKeys(context.clients) : readRootSummary(context.clients);
  },
  async run(context: InitContext): Promise<StepOutcome> {
    const caller = await context.reader.read('caller');
    if (!caller.isRoot) return guideToConsole(context);
    let keys: RootAccessKey[];
    try {
      keys = await listRootAccessKeys(context.clients);
    } catch (error) {
      // AWS lists the caller's own keys only for long-term credentials; with temporary ones it asks for a
      // UserName, which the root user does not have. The console can still do it.
      if (!isAwsErrorNamed(error, 'ValidationError')) throw error;
      context.io.info('AWS does not list root access keys for these (temporary) credentials.');
      return guideToConsole(context);
    }
    return deleteAsRoot(context, keys);
  },
};
