import { describe, expect, it } from 'vitest';
import { ACME_STATUSES, statusesOf, writeAcmeConfig } from '../support/acme-config.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { isolatedEnv, MOTO_CREDENTIALS, runCli } from '../support/run-cli.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

describe.skipIf(!motoAvailable)('init --config --yes re-run on a finished account (against moto)', () => {
  const moto = useMoto();

  it('makes no write and sends every read at most once', async () => {
    const { file } = writeAcmeConfig();
    const env = isolatedEnv(MOTO_CREDENTIALS);
    const first = await runCli(['init', '--config', file, '--yes', '--json', '--endpoint-url', moto.server.endpoint], { env });
    expect(first.code).toBe(0);

    const proxy = await startFaultProxy(moto.server.endpoint);
    try {
      const second = await runCli(['init', '--config', file, '--yes', '--json', '--endpoint-url', proxy.endpoint], { env });
      expect(second.code).toBe(0);
      expect(statusesOf(second.stdout)).toEqual(ACME_STATUSES.again);

      expect(proxy.requests.filter((r) => r.write).map((r) => r.operation)).toEqual([]);
      const counts = new Map<string, number>();
      for (const r of proxy.requests) counts.set(`${r.operation} ${r.body}`, (counts.get(`${r.operation} ${r.body}`) ?? 0) + 1);
      const repeated = [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${n}x ${key}`);
      expect(repeated).toEqual([]);
      // Each operation once: the reads made ahead are exactly the ones the steps then make (same names, same input).
      expect(proxy.requests.map((r) => r.operation).sort()).toEqual(
        [
          'GetAccountSummary',
          'GetCallerIdentity',
          'ListAccountAliases',
          'ListAttachedGroupPolicies',
          'ListPolicies',
          'GetPolicyVersion',
          'ListGroupsForUser',
          'GetLoginProfile',
          'DescribeBudget',
          'DescribeNotificationsForBudget',
          'DescribeSubscribersForNotification',
        ].sort(),
      );
    } finally {
      await proxy.close();
    }
  });
});
