import { consoleUrl } from '../aws/partition.js';
import type { InitContext, StepInit, StepOutcome } from './step.js';

/** The account settings page with "IAM user and role access to Billing information"; billing-access.ts re-exports it. */
export const BILLING_ACCOUNT_PATH = '/billing/home#/account';

export const billingAccessInit: StepInit = {
  why:
    'By default only the root user can see bills and set budgets. Turning on IAM access lets your admin user see ' +
    'what the account costs, so you do not have to sign in as root for that.',
  async run(context: InitContext): Promise<StepOutcome> {
    const { io, partition } = context;
    const url = consoleUrl(partition, BILLING_ACCOUNT_PATH);
    io.info(
      [
        'This setting has no API: AWS lets only the root user change it, and only in the console. No tool can read it ' +
          'either, so aws-bootstrap relies on your word.',
        `1. Sign in as the root user and open ${url}`,
        '2. Find "IAM user and role access to Billing information" and choose "Edit".',
        '3. Tick "Activate IAM Access" and choose "Update".',
        'Your admin user then sees billing as soon as its policy allows it (AdministratorAccess does).',
      ].join('\n'),
    );
    const activated = await io.confirm({ id: 'billing-access.confirm', message: 'Have you activated it?', default: false });
    if (activated) {
      io.info('Noted. `aws-bootstrap check` keeps reporting it as manual: no API can confirm it.');
    } else {
      context.facts.leftToDo.push(
        `Let IAM users and roles see billing: signed in as root, open ${url}, "IAM user and role access to Billing ` +
          'information", Edit, Activate IAM Access.',
      );
    }
    // Manual either way: the setting cannot be read, so success is never claimed.
    return { status: 'manual', changes: [] };
  },
};
