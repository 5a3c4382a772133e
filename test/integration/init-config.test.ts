import { BudgetsClient, DescribeBudgetsCommand, DescribeNotificationsForBudgetCommand } from '@aws-sdk/client-budgets';
import {
  GetLoginProfileCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListAttachedGroupPoliciesCommand,
  ListGroupsForUserCommand,
} from '@aws-sdk/client-iam';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_ID } from '../support/moto-seed.js';
import { motoSnapshot, warmUp } from '../support/moto-state.js';
import { isolatedEnv, MOTO_CREDENTIALS, runCli } from '../support/run-cli.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';
import { plainClientConfig } from '../support/moto-clients.js';
import { ACME_STATUSES, statusesOf, writeAcmeConfig } from '../support/acme-config.js';

const configFile = (dir: string, passwordFile: string, extra = '') => writeAcmeConfig({ dir, passwordFile, extra }).file;

describe.skipIf(!motoAvailable)('init --config, plan and check --config against moto (no terminal)', () => {
  const moto = useMoto();
  const cli = (...args: string[]) =>
    runCli([...args, '--endpoint-url', moto.server.endpoint], { env: isolatedEnv(MOTO_CREDENTIALS) });

  it('applies the file with --yes, ends verified, and a second run changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-bootstrap-config-'));
    const passwordFile = join(dir, 'alice-password.txt');
    const file = configFile(dir, passwordFile);

    const first = await cli('init', '--config', file, '--yes', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ version: 1, dryRun: false });
    expect(statusesOf(first.stdout)).toEqual(ACME_STATUSES.fresh);

    // The generated password went to the 0600 file and nowhere else.
    const password = readFileSync(passwordFile, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    expect(first.stdout + first.stderr).not.toContain(password);
    expect(first.stderr).toContain(`The console password is in ${passwordFile}`);

    // The same verified state the wizard ends in, read back without aws-bootstrap.
    const config = plainClientConfig(moto.server.endpoint);
    const iam = new IAMClient(config);
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['acme-sandbox']);
    const policies = (await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'Administrators' }))).AttachedPolicies!;
    expect(policies.map((p) => p.PolicyName).sort()).toEqual(['AdministratorAccess', 'aws-bootstrap-require-mfa']);
    expect((await iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }))).Groups!.map((g) => g.GroupName)).toEqual(['Administrators']);
    expect((await iam.send(new GetLoginProfileCommand({ UserName: 'alice' }))).LoginProfile).toBeDefined();
    const budgets = new BudgetsClient(config);
    const [budget] = (await budgets.send(new DescribeBudgetsCommand({ AccountId: ACCOUNT_ID }))).Budgets!;
    expect(budget).toMatchObject({ BudgetName: 'monthly-cost-budget', BudgetType: 'COST', TimeUnit: 'MONTHLY' });
    expect(Number(budget!.BudgetLimit!.Amount)).toBe(25);
    const notifications = await budgets.send(
      new DescribeNotificationsForBudgetCommand({ AccountId: ACCOUNT_ID, BudgetName: 'monthly-cost-budget' }),
    );
    expect(notifications.Notifications).toMatchObject([{ NotificationType: 'ACTUAL', Threshold: 80 }]);

    // check --config checks these very resources; MFA was deferred to first sign-in, so that control fails.
    const check = await cli('check', '--config', file, '--json');
    const controls = Object.fromEntries(JSON.parse(check.stdout).controls.map((c: { id: string; status: string }) => [c.id, c.status]));
    expect(controls).toMatchObject({
      'account-alias': 'pass',
      'admin-group': 'pass',
      'admin-user': 'pass',
      'admin-user-mfa': 'fail',
      budget: 'pass',
    });

    const before = await motoSnapshot(moto.server.endpoint);
    const second = await cli('init', '--config', file, '--yes', '--json');
    expect(second.code).toBe(0);
    expect(statusesOf(second.stdout)).toEqual(ACME_STATUSES.again);
    expect(await motoSnapshot(moto.server.endpoint)).toBe(before);
  });

  it('plan lists every step as planned on a fresh account and leaves the emulator byte-for-byte the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-bootstrap-config-'));
    const file = configFile(dir, join(dir, 'pw.txt'));
    await warmUp(moto.server.endpoint);
    const before = await motoSnapshot(moto.server.endpoint);

    const plan = await cli('plan', '--config', file, '--json');
    expect(plan.code).toBe(0);
    const doc = JSON.parse(plan.stdout);
    expect(doc.dryRun).toBe(true);
    expect(statusesOf(plan.stdout)).toEqual({
      'root-mfa': 'manual',
      'root-access-keys': 'unchanged',
      'account-alias': 'planned',
      'admin-group': 'planned',
      'admin-user': 'planned',
      'admin-user-mfa': 'skipped',
      'billing-access': 'manual',
      budget: 'planned',
    });
    const alias = doc.steps.find((s: { id: string }) => s.id === 'account-alias');
    expect(alias.changes).toEqual([{ action: 'create', target: 'iam:account-alias', detail: 'acme-sandbox' }]);
    expect(await motoSnapshot(moto.server.endpoint)).toBe(before);

    const human = await cli('plan', '--config', file);
    expect(human.stdout).toContain('Plan (nothing was changed)');
    expect(human.stdout).toMatch(/PLANNED +admin-group +create iam:group\/Administrators/);
    expect(await motoSnapshot(moto.server.endpoint)).toBe(before);
  });

  it('plans a file that asks for prompts without a terminal: a dry run asks nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-bootstrap-config-'));
    const file = join(dir, 'prompted.yaml');
    writeFileSync(file, 'adminGroup: {}\nadminUser:\n  name: alice\n  password: prompt\n  mfa: prompt\n');
    const plan = await cli('plan', '--config', file, '--json');
    expect(plan.code).toBe(0);
    expect(statusesOf(plan.stdout)).toMatchObject({ 'admin-group': 'planned', 'admin-user': 'planned', 'admin-user-mfa': 'planned' });
    const apply = await cli('init', '--config', file, '--yes');
    expect(apply.code).toBe(2);
    expect(apply.stderr).toContain('adminUser.mfa: prompt needs a terminal');
  });

  it('refuses to apply without --yes when no terminal can confirm, before any write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-bootstrap-config-'));
    const file = configFile(dir, join(dir, 'pw.txt'));
    await warmUp(moto.server.endpoint);
    const before = await motoSnapshot(moto.server.endpoint);
    const result = await cli('init', '--config', file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('add --yes');
    expect(await motoSnapshot(moto.server.endpoint)).toBe(before);
  });

  it('stops before any write when the password file exists and a password would be generated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-bootstrap-config-'));
    const passwordFile = join(dir, 'pw.txt');
    writeFileSync(passwordFile, 'an old password\n');
    const file = configFile(dir, passwordFile);
    await warmUp(moto.server.endpoint);
    const before = await motoSnapshot(moto.server.endpoint);
    const result = await cli('init', '--config', file, '--yes');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`adminUser.passwordFile: ${passwordFile} already exists`);
    expect(readFileSync(passwordFile, 'utf8')).toBe('an old password\n');
    expect(await motoSnapshot(moto.server.endpoint)).toBe(before);
  });
});
