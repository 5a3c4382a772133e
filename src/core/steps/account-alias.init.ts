import { CreateAccountAliasCommand, DeleteAccountAliasCommand, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { namedCall } from '../aws/aws-error.js';
import { isAwsErrorNamed } from '../aws/aws-error-names.js';
import { signInUrl } from '../aws/partition.js';
import type { AwsClients } from '../aws/client-factory.js';
import type { Change } from '../init/init-report.js';
import { loginName } from '../login-name.js';
import type { InitContext, PrefetchContext, StepInit, StepOutcome } from './step.js';

/** AWS's own rule for aliases (CreateAccountAlias): checked locally, before any call. */
const ALIAS_PATTERN = /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

export function validateAlias(value: string): string | true {
  if (value.length < 3 || value.length > 63) return 'An alias has 3 to 63 characters.';
  if (/[^a-z0-9-]/.test(value)) return 'Use only lowercase letters, digits and hyphens.';
  if (value.startsWith('-') || value.endsWith('-')) return 'An alias cannot start or end with a hyphen.';
  if (value.includes('--')) return 'An alias cannot contain two hyphens in a row.';
  if (/^\d{12}$/.test(value)) return 'An alias cannot be a 12-digit number (it would look like an account id).';
  return ALIAS_PATTERN.test(value) ? true : 'Not a valid alias.';
}

/** A suggestion a person can accept: their login name when it means something, else one from the account id. */
export function suggestAlias(accountId: string, login: string): string {
  const base = login.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const generic = new Set(['', 'root', 'cloudshell-user', 'ec2-user', 'ubuntu', 'admin', 'user']);
  const candidate = generic.has(base) ? `aws-${accountId}` : `${base}-aws`;
  return validateAlias(candidate) === true ? candidate : `aws-${accountId}`;
}

/** Pure: what turns the current alias into the desired one. */
export function planAlias(current: string | undefined, desired: string): Change[] {
  if (current === desired) return [];
  if (current === undefined) return [{ action: 'create', target: 'iam:account-alias', detail: desired }];
  return [{ action: 'update', target: 'iam:account-alias', detail: `${current} -> ${desired}` }];
}

/** The account's alias now (an account has at most one). */
export async function readAlias(clients: AwsClients): Promise<string | undefined> {
  const out = await namedCall('iam:ListAccountAliases', () => clients.iam().send(new ListAccountAliasesCommand({})));
  return out.AccountAliases?.[0];
}

/**
 * Sets the alias. An account has one alias: if AWS refuses a second one, the old alias is deleted and the
 * new one created, and if that fails the old one is put back, so the account never ends without its alias.
 */
async function applyAlias(clients: AwsClients, current: string | undefined, desired: string): Promise<void> {
  const create = (alias: string) =>
    namedCall('iam:CreateAccountAlias', () => clients.iam().send(new CreateAccountAliasCommand({ AccountAlias: alias })));
  try {
    await create(desired);
    return;
  } catch (error) {
    if (current === undefined || !isAwsErrorNamed(error, 'LimitExceeded')) throw error;
  }
  await namedCall('iam:DeleteAccountAlias', () =>
    clients.iam().send(new DeleteAccountAliasCommand({ AccountAlias: current })),
  );
  try {
    await create(desired);
  } catch (error) {
    await create(current).catch(() => undefined);
    throw error;
  }
}

export const accountAliasInit: StepInit = {
  why:
    'IAM users sign in at a URL with your 12-digit account id in it. An alias (a name only your account has) ' +
    'makes that URL one you can remember and share with your team.',
  prefetch: (context: PrefetchContext) => Promise.all([readAlias(context.clients), context.reader.read('caller')]),
  async run(context: InitContext): Promise<StepOutcome> {
    const { clients, io, partition } = context;
    const [current, caller] = await Promise.all([readAlias(clients), context.reader.read('caller')]);
    if (current !== undefined) {
      io.info(`Current alias: ${current} (sign-in URL ${signInUrl(partition, current)})`);
      const keep = await io.confirm({ id: 'account-alias.keep', message: `Keep the alias "${current}"?`, default: true });
      if (keep) {
        context.facts.signInUrl = signInUrl(partition, current);
        return { status: 'unchanged', changes: [] };
      }
    } else {
      io.info(`No alias yet: IAM users sign in at ${signInUrl(partition, caller.accountId)}`);
    }

    const taken = new Set<string>();
    for (;;) {
      const desired = await io.text({
        id: 'account-alias.alias',
        message: 'Account alias (lowercase letters, digits, hyphens)',
        default: current ?? suggestAlias(caller.accountId, loginName()),
        validate: (value) => (taken.has(value) ? `"${value}" is taken by another AWS account: try another.` : validateAlias(value)),
      });
      const changes = planAlias(current, desired);
      if (changes.length === 0) {
        context.facts.signInUrl = signInUrl(partition, desired);
        return { status: 'unchanged', changes };
      }
      if (context.dryRun) return { status: 'planned', changes };
      const ok =
        current === undefined
          ? await io.confirm({ id: 'account-alias.confirm', message: `Set the alias "${desired}"?`, default: true })
          : await io.confirm({
              id: 'account-alias.replace',
              message: `Replace the alias "${current}" with "${desired}"? The old sign-in URL stops working.`,
              default: false,
            });
      if (!ok) {
        if (current !== undefined) context.facts.signInUrl = signInUrl(partition, current);
        return { status: 'skipped', changes: [] };
      }
      try {
        await applyAlias(clients, current, desired);
      } catch (error) {
        if (isAwsErrorNamed(error, 'EntityAlreadyExists')) {
          // Taken by this very account since the read (another run set it): nothing left to do.
          if ((await readAlias(clients)) === desired) {
            io.info(`The alias "${desired}" was set meanwhile (by another run): using it.`);
            context.facts.signInUrl = signInUrl(partition, desired);
            return { status: 'unchanged', changes: [] };
          }
          taken.add(desired);
          io.warn(`The alias "${desired}" is taken by another AWS account. Aliases are unique across all of AWS.`);
          continue;
        }
        throw error;
      }
      for (const change of changes) context.record(change);
      const verified = await readAlias(clients);
      if (verified !== desired) throw new Error(`ListAccountAliases shows "${verified ?? 'no alias'}" after setting "${desired}".`);
      context.facts.signInUrl = signInUrl(partition, desired);
      io.info(`Sign-in URL for IAM users: ${context.facts.signInUrl}`);
      return { status: current === undefined ? 'created' : 'updated', changes };
    }
  },
};
