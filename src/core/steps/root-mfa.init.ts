import { GetAccountSummaryCommand } from '@aws-sdk/client-iam';
import { namedCall } from '../aws/aws-error.js';
import type { AwsClients } from '../aws/client-factory.js';
import { consoleUrl } from '../aws/partition.js';
import type { AccountSummary } from '../state/account-state.js';
import type { InteractiveIoHost } from '../io-host.js';
import type { InitContext, PrefetchContext, StepInit, StepOutcome } from './step.js';

/** The root user's "Security credentials" page (MFA, access keys); root-mfa.ts re-exports it for the checks. */
export const ROOT_SECURITY_CREDENTIALS_PATH = '/iam/home#/security_credentials';

/**
 * A fresh iam:GetAccountSummary, never the run's memoised read: these steps ask the person to change
 * something in the console and then look again, so every look must be a new call.
 */
export async function readRootSummary(clients: AwsClients): Promise<AccountSummary> {
  const out = await namedCall('iam:GetAccountSummary', () => clients.iam().send(new GetAccountSummaryCommand({})));
  const map = out.SummaryMap ?? {};
  return { rootMfaEnabled: map.AccountMFAEnabled === 1, rootAccessKeysPresent: map.AccountAccessKeysPresent === 1 };
}

export type ConsoleFixChoice = 'recheck' | 'skip';

/**
 * For what only the console can do: the person does it in a browser, then either asks for a fresh look
 * (as often as they like) or skips. True only when a fresh read shows it done; nothing is ever assumed.
 * The default is `skip`, so a host that answers with defaults can never loop.
 */
export async function waitForConsoleFix(
  context: { io: InteractiveIoHost; clients: Pick<AwsClients, 'forgetReads'> },
  question: { id: string; recheckLabel: string; stillMessage: string },
  isDone: () => Promise<boolean>,
): Promise<boolean> {
  const { io } = context;
  for (;;) {
    const next = await io.select<ConsoleFixChoice>({
      id: question.id,
      message: 'When you are done',
      choices: [
        { value: 'recheck', name: question.recheckLabel },
        { value: 'skip', name: 'Skip for now (it stays on the list of things left to do)' },
      ],
      default: 'skip',
    });
    if (next === 'skip') return false;
    // The person changed the account in the console: the run's earlier reads are out of date.
    context.clients.forgetReads();
    if (await isDone()) return true;
    io.warn(question.stillMessage);
  }
}

export function rootMfaConsoleUrl(partition: InitContext['partition']): string {
  return consoleUrl(partition, ROOT_SECURITY_CREDENTIALS_PATH);
}

export const rootMfaInit: StepInit = {
  why:
    'The root user is the email address and password the account was opened with: it can do anything, including ' +
    'closing the account. A second factor (MFA) means a stolen password alone is not enough to sign in.',
  prefetch: (context: PrefetchContext) => readRootSummary(context.clients),
  async run(context: InitContext): Promise<StepOutcome> {
    const { clients, io, partition } = context;
    if ((await readRootSummary(clients)).rootMfaEnabled) {
      io.info('The root user already has MFA.');
      return { status: 'unchanged', changes: [] };
    }
    const url = rootMfaConsoleUrl(partition);
    io.info(
      [
        'The root user has no MFA device yet. AWS lets only the root user add one, and only in the console: no tool can do it for you.',
        `1. Sign in as the root user (the account's email address and password) and open ${url}`,
        '2. Under "Multi-factor authentication (MFA)", choose "Assign MFA device".',
        '3. Pick a passkey or security key if you can (your phone or laptop can act as one): it is the strongest choice, and ' +
          'phishing cannot steal it. An authenticator app works too.',
      ].join('\n'),
    );
    const done = await waitForConsoleFix(
      context,
      {
        id: 'root-mfa.next',
        recheckLabel: 'I have added it: check again',
        stillMessage: 'AWS still reports no MFA device for the root user (GetAccountSummary: AccountMFAEnabled is 0).',
      },
      async () => (await readRootSummary(clients)).rootMfaEnabled,
    );
    if (done) {
      io.info('Checked: the root user now has MFA.');
      return { status: 'updated', changes: [] };
    }
    context.facts.leftToDo.push(`Add MFA to the root user (a passkey or security key is strongest): sign in as root at ${url}`);
    return { status: 'manual', changes: [] };
  },
};
