import { describe, expect, it } from 'vitest';
import { motoSeeder, userWithPolicy } from '../support/moto-seed.js';
import { isolatedEnv, runCli } from '../support/run-cli.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

describe.skipIf(!motoAvailable)('check as an identity that may not read everything (moto IAM authorization on)', () => {
  const moto = useMoto();

  it('turns only the controls behind a denied read into error rows naming the call', async () => {
    const seed = motoSeeder(moto.server.endpoint);
    const keys = await userWithPolicy(seed.iam, 'auditor', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['iam:*', 'sts:GetCallerIdentity', 'budgets:*'], Resource: '*' },
        { Effect: 'Deny', Action: 'iam:GetAccountSummary', Resource: '*' },
      ],
    });
    await moto.server.enforceAuth();

    const result = await runCli(['check', '--json', '--endpoint-url', moto.server.endpoint], {
      env: isolatedEnv({ ...keys, AWS_REGION: 'us-east-1' }),
    });
    const report = JSON.parse(result.stdout);
    const byId = Object.fromEntries(report.controls.map((c: { id: string }) => [c.id, c]));
    for (const id of ['root-mfa', 'root-access-keys']) {
      expect(byId[id].status).toBe('error');
      expect(byId[id].detail).toMatch(/^iam:GetAccountSummary failed: AccessDenied/);
      expect(byId[id].remediation).toContain('Allow iam:GetAccountSummary');
    }
    expect(byId['account-alias'].status).toBe('fail');
    expect(report.summary.error).toBe(2);
    expect(report.account.caller).toMatch(/:user\/auditor$/);
    // Findings come first: the account has failing controls, so the exit code is 1 even with error rows.
    expect(result.code).toBe(1);
  });
});
