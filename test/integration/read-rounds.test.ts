import { describe, expect, it } from 'vitest';
import { ACME_STATUSES, statusesOf, writeAcmeConfig } from '../support/acme-config.js';
import { sequentialRounds, startFaultProxy } from '../support/fault-proxy.js';
import { isolatedEnv, MOTO_CREDENTIALS, runCli } from '../support/run-cli.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

/** Each answer is held this long: longer than the CLI takes to send the reads that do not wait for one another. */
const HOLD_MS = 150;

/**
 * The order and depth of the reads on a finished account, through a proxy that holds every answer: how many
 * round trips one after another `check` and an `init --config` re-run need (the speed issue's bound is 4).
 */
describe.skipIf(!motoAvailable)('read round trips (built CLI against moto)', () => {
  const moto = useMoto();

  async function finishedAccount() {
    const acme = writeAcmeConfig();
    const env = isolatedEnv(MOTO_CREDENTIALS);
    const first = await runCli(['init', '--config', acme.file, '--yes', '--json', '--endpoint-url', moto.server.endpoint], { env });
    expect(statusesOf(first.stdout)).toEqual(ACME_STATUSES.fresh);
    return { acme, env };
  }

  it('check: 3 rounds (caller and admin groups; budgets, notifications and members; subscribers and admins), the caller first', async () => {
    const { env } = await finishedAccount();
    const proxy = await startFaultProxy(moto.server.endpoint, { afterUpstream: () => new Promise((r) => setTimeout(r, HOLD_MS)) });
    try {
      const result = await runCli(['check', '--json', '--endpoint-url', proxy.endpoint], { env });
      expect(JSON.parse(result.stdout).controls.find((c: { id: string }) => c.id === 'budget').status).toBe('pass');
      const { depth, rounds } = sequentialRounds(proxy.requests);
      expect(rounds.map((r) => [...r].sort())).toEqual([
        ['GetAccountSummary', 'GetCallerIdentity', 'ListAccountAliases', 'ListEntitiesForPolicy'],
        ['DescribeBudgetNotificationsForAccount', 'DescribeBudgets', 'GetGroup'],
        ['DescribeSubscribersForNotification', 'GetLoginProfile', 'ListMFADevices'],
      ]);
      expect(depth).toBe(3);
      // The head of the longest chain reaches the server first: an emulator answering in turn answers it first.
      expect(proxy.requests[0]!.operation).toBe('GetCallerIdentity');
      expect(proxy.requests.filter((r) => r.write)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('init --config re-run: reads only, in 2 rounds (what needs no account id; what needs the caller), the caller first', async () => {
    const { acme, env } = await finishedAccount();
    const proxy = await startFaultProxy(moto.server.endpoint, { afterUpstream: () => new Promise((r) => setTimeout(r, HOLD_MS)) });
    try {
      const again = await runCli(['init', '--config', acme.file, '--yes', '--json', '--endpoint-url', proxy.endpoint], { env });
      expect(statusesOf(again.stdout)).toEqual(ACME_STATUSES.again);
      expect(proxy.requests.filter((r) => r.write).map((r) => r.operation)).toEqual([]);
      const { depth, rounds } = sequentialRounds(proxy.requests);
      expect(depth, JSON.stringify(rounds)).toBe(2);
      // The guard policy is found by listing its path, the group's attached policies and the user's groups
      // tell that they exist (no GetGroup, no GetUser), and the alert's subscribers are read with the budget:
      // only what needs the account id (Budgets) or the guard's version id waits for a first answer.
      expect([...rounds[0]!].sort()).toEqual(
        [
          'GetCallerIdentity',
          'GetAccountSummary',
          'ListAccountAliases',
          'ListPolicies',
          'ListAttachedGroupPolicies',
          'ListGroupsForUser',
          'GetLoginProfile',
        ].sort(),
      );
      expect([...rounds[1]!].sort()).toEqual(
        ['GetPolicyVersion', 'DescribeBudget', 'DescribeNotificationsForBudget', 'DescribeSubscribersForNotification'].sort(),
      );
      // Before the steps, the password-file preflight may ask whether alice has a login profile; of the steps'
      // reads, the caller goes first.
      const stepReads = proxy.requests.filter((r, i) => !(r.operation === 'GetLoginProfile' && i === 0));
      expect(stepReads[0]!.operation).toBe('GetCallerIdentity');
    } finally {
      await proxy.close();
    }
  });
});
