import { describe, expect, it } from 'vitest';
import { ACCOUNT_ID, motoSeeder } from '../support/moto-seed.js';
import { isolatedEnv, MOTO_CREDENTIALS, runCli } from '../support/run-cli.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

interface Control {
  id: string;
  title: string;
  status: string;
  detail: string;
  remediation: string | null;
  references: string[];
}

describe.skipIf(!motoAvailable)('aws-bootstrap check against moto', () => {
  const moto = useMoto();
  const check = (...args: string[]) =>
    runCli(['check', '--endpoint-url', moto.server.endpoint, ...args], { env: isolatedEnv(MOTO_CREDENTIALS) });
  const statuses = (controls: Control[]) => Object.fromEntries(controls.map((c) => [c.id, c.status]));

  it('reports a fresh account in the documented JSON shape and exits 1', async () => {
    const result = await check('--json');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['version', 'account', 'summary', 'controls']);
    expect(report.version).toBe(1);
    expect(report.account).toEqual({ id: ACCOUNT_ID, alias: null, caller: `arn:aws:sts::${ACCOUNT_ID}:user/moto` });
    expect(report.summary).toEqual({ pass: 1, fail: 5, manual: 1, error: 0, skipped: 1 });
    expect(statuses(report.controls)).toEqual({
      'root-mfa': 'fail',
      'root-access-keys': 'pass',
      'account-alias': 'fail',
      'admin-group': 'fail',
      'admin-user': 'fail',
      'admin-user-mfa': 'skipped',
      'billing-access': 'manual',
      budget: 'fail',
    });
    for (const control of report.controls as Control[]) {
      expect(Object.keys(control)).toEqual(['id', 'title', 'status', 'detail', 'remediation', 'references']);
      if (control.status === 'fail' || control.status === 'manual') expect(control.remediation).toMatch(/\S/);
      else expect(control.remediation).toBeNull();
    }
    const byId = Object.fromEntries((report.controls as Control[]).map((c) => [c.id, c]));
    expect(byId['root-mfa']!.references).toEqual(['CIS 1.4', 'Security Hub IAM.9']);
    expect(byId['budget']!.remediation).toBe('Run `aws-bootstrap init --only budget`.');
    expect(byId['billing-access']!.remediation).toContain('https://console.aws.amazon.com/billing/home#/account');
  });

  it('passes every control of a finished account (billing stays manual) and exits 0', async () => {
    const seed = motoSeeder(moto.server.endpoint);
    await seed.alias('acme-sandbox');
    await seed.adminGroup('Administrators');
    await seed.user('alice', { group: 'Administrators', consolePassword: true, mfa: true });
    await seed.monthlyBudget('monthly-cost-budget', { amount: 25, threshold: 80 });
    await moto.server.setRoot({ mfaEnabled: true, accessKeysPresent: false });

    const result = await check('--json');
    const report = JSON.parse(result.stdout);
    expect(statuses(report.controls)).toEqual({
      'root-mfa': 'pass',
      'root-access-keys': 'pass',
      'account-alias': 'pass',
      'admin-group': 'pass',
      'admin-user': 'pass',
      'admin-user-mfa': 'pass',
      'billing-access': 'manual',
      budget: 'pass',
    });
    expect(result.code).toBe(0);
    expect(report.account.alias).toBe('acme-sandbox');
    const byId = Object.fromEntries((report.controls as Control[]).map((c) => [c.id, c]));
    expect(byId['account-alias']!.detail).toContain('https://acme-sandbox.signin.aws.amazon.com/console');
    expect(byId['admin-user']!.detail).toContain('alice (Administrators)');
    expect(byId['budget']!.detail).toBe('monthly-cost-budget: 25 USD a month, alert at ACTUAL > 80% to 1 subscriber.');
  });

  it('names the admin console users without MFA, and ignores admins without a password', async () => {
    const seed = motoSeeder(moto.server.endpoint);
    await seed.adminGroup('Admins');
    await seed.user('alice', { group: 'Admins', consolePassword: true, mfa: true });
    await seed.user('bob', { group: 'Admins', consolePassword: true });
    await seed.user('ci-bot', { group: 'Admins' });
    await seed.user('carol', { consolePassword: true });

    const report = JSON.parse((await check('--json')).stdout);
    const byId = Object.fromEntries((report.controls as Control[]).map((c) => [c.id, c]));
    expect(byId['admin-user']!.status).toBe('pass');
    expect(byId['admin-user-mfa']!).toMatchObject({ status: 'fail', detail: 'Without MFA: bob.' });
  });

  it('fails admin-user when the admin group has only members without a console password', async () => {
    const seed = motoSeeder(moto.server.endpoint);
    await seed.adminGroup();
    await seed.user('ci-bot', { group: 'Administrators' });
    const report = JSON.parse((await check('--json')).stdout);
    const byId = Object.fromEntries((report.controls as Control[]).map((c) => [c.id, c]));
    expect(byId['admin-group']!.status).toBe('pass');
    expect(byId['admin-user']!).toMatchObject({
      status: 'fail',
      detail: 'Admin group members without a console password: ci-bot.',
    });
    expect(byId['admin-user-mfa']!.status).toBe('skipped');
  });

  it('fails root controls from live GetAccountSummary flags (root keys present, MFA off)', async () => {
    await moto.server.setRoot({ mfaEnabled: false, accessKeysPresent: true });
    const report = JSON.parse((await check('--json')).stdout);
    const byId = Object.fromEntries((report.controls as Control[]).map((c) => [c.id, c]));
    expect(byId['root-access-keys']!).toMatchObject({ status: 'fail' });
    expect(byId['root-access-keys']!.remediation).toContain('aws-bootstrap init --only root-access-keys');
    expect(byId['root-mfa']!.status).toBe('fail');
  });

  it('fails the budget control for an alert above 100%, and for an alert nobody receives', async () => {
    const seed = motoSeeder(moto.server.endpoint);
    await seed.monthlyBudget('late-alert', { threshold: 120 });
    let report = JSON.parse((await check('--json')).stdout);
    let budget = (report.controls as Control[]).find((c) => c.id === 'budget')!;
    expect(budget.status).toBe('fail');
    expect(budget.detail).toContain('late-alert');

    await moto.server.reset();
    await seed.monthlyBudget('silent', { threshold: 80, emails: ['ops@example.com'] });
    await seed.removeSubscriber('silent', 80, 'ops@example.com');
    report = JSON.parse((await check('--json')).stdout);
    budget = (report.controls as Control[]).find((c) => c.id === 'budget')!;
    expect(budget).toMatchObject({ status: 'fail' });
    expect(budget.detail).toContain('silent');
  });

  it('accepts a FORECASTED alert at 100%', async () => {
    await motoSeeder(moto.server.endpoint).monthlyBudget('forecast', { threshold: 100, notificationType: 'FORECASTED' });
    const report = JSON.parse((await check('--json')).stdout);
    expect((report.controls as Control[]).find((c) => c.id === 'budget')!.status).toBe('pass');
  });

  it('prints a plain table on stdout when piped, progress on stderr', async () => {
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`Account ${ACCOUNT_ID} as arn:aws:sts::${ACCOUNT_ID}:user/moto`);
    expect(result.stdout).toMatch(/^FAIL +root-mfa +The root user has no MFA device\.$/m);
    expect(result.stdout).toMatch(/^MANUAL +billing-access /m);
    expect(result.stdout).toContain('8 controls: 1 pass, 5 fail, 1 manual, 0 error, 1 skipped');
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stderr).toContain('Reading account state');
    expect(result.stderr).not.toContain('FAIL');
  });

  it('colours the table only when asked (FORCE_COLOR) and never with --no-color or NO_COLOR', async () => {
    const run = (env: Record<string, string>, ...args: string[]) =>
      runCli(['check', '--endpoint-url', moto.server.endpoint, ...args], {
        env: isolatedEnv({ ...MOTO_CREDENTIALS, ...env }),
      });
    expect((await run({ FORCE_COLOR: '1' })).stdout).toContain('\u001b[31mFAIL');
    expect((await run({ FORCE_COLOR: '1' }, '--no-color')).stdout).not.toContain('\u001b[');
    expect((await run({ FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toContain('\u001b[');
  });

  it('prints a Markdown table with --format markdown', async () => {
    const result = await check('--format', 'markdown');
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe(`### aws-bootstrap check: account ${ACCOUNT_ID}`);
    expect(lines).toContain('| Status | Control | Detail | Remediation | References |');
    // header, separator, one row per control
    expect(lines.filter((l) => l.startsWith('| ')).length).toBe(2 + 8);
    expect(result.stdout).toContain('| **fail** | `root-mfa` Root user has MFA |');
  });

  it('shows calls and the credential source under --debug, never the secret key', async () => {
    const env = isolatedEnv({ ...MOTO_CREDENTIALS, AWS_SECRET_ACCESS_KEY: 'very-secret-value-123' });
    const result = await runCli(['check', '--endpoint-url', moto.server.endpoint, '--debug'], { env });
    expect(result.stderr).toContain('[debug] credentials: environment variables');
    expect(result.stderr).toContain('[debug] iam:GetAccountSummary ok');
    expect(result.stderr).toContain('[debug] sts:GetCallerIdentity ok');
    expect(result.stdout + result.stderr).not.toContain('very-secret-value-123');
  });

  it('reads through AWS_ENDPOINT_URL as well as --endpoint-url', async () => {
    const result = await runCli(['check', '--json'], {
      env: isolatedEnv({ ...MOTO_CREDENTIALS, AWS_ENDPOINT_URL: moto.server.endpoint }),
    });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).account.id).toBe(ACCOUNT_ID);
  });
});
