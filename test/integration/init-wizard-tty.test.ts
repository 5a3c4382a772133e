import { GetLoginProfileCommand, IAMClient, ListAccountAliasesCommand, ListAttachedGroupPoliciesCommand, ListGroupsForUserCommand, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { BudgetsClient, DescribeBudgetsCommand } from '@aws-sdk/client-budgets';
import { generateSync } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNT_ID } from '../support/moto-seed.js';
import { BUILT_CLI, isolatedEnv, MOTO_CREDENTIALS, runCli } from '../support/run-cli.js';
import { TmuxSession } from '../support/tmux-session.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';
import { plainClientConfig } from '../support/moto-clients.js';

/**
 * The wizard end to end: the built binary in a real pseudo-terminal (tmux), answered by typing like a person,
 * MFA codes computed from the secret key shown on screen; then the AWS state read back independently.
 */
describe.skipIf(!motoAvailable)('aws-bootstrap init, the wizard, in a terminal', () => {
  const moto = useMoto();
  let session: TmuxSession | undefined;
  afterEach(async () => {
    await session?.kill();
    session = undefined;
  });

  const start = async () => {
    const env = isolatedEnv({ ...MOTO_CREDENTIALS, TERM: 'xterm-256color' });
    session = await TmuxSession.start([process.execPath, BUILT_CLI, 'init', '--endpoint-url', moto.server.endpoint], env);
    return session;
  };

  /** Waits for a prompt (after `since` characters of screen), then answers it. */
  const answer = async (s: TmuxSession, prompt: string | RegExp, keys: { type?: string; press?: string[] }) => {
    const screen = await s.waitFor(prompt);
    if (keys.type !== undefined) await s.type(keys.type);
    await s.press(...(keys.press ?? ['Enter']));
    return screen;
  };

  it('takes a fresh account to the baseline, and a second run changes nothing', async () => {
    let s = await start();
    await answer(s, '[1/8] Root user has MFA', { press: [] });
    await answer(s, 'Skip for now', { press: ['Enter'] });
    await answer(s, '? Account alias', { type: 'acme-sandbox' });
    await answer(s, '? Set the alias "acme-sandbox"?', { type: 'y' });
    await answer(s, '? Name of the admin group', {});
    await answer(s, '? Apply these changes to "Administrators"?', {});
    await answer(s, '? Name of the admin IAM user', { type: 'alice' });
    await answer(s, '? Console password for alice', {});
    await answer(s, '? Require alice to choose a new password at first sign-in?', {});
    await answer(s, '? Apply these changes for "alice"?', {});
    await answer(s, '? Set up MFA for "alice" now?', {});
    const screen = await s.waitFor('? Code shown now in the app');
    const secret = /Secret key \(for apps that cannot scan\): ([A-Z2-7]+)/.exec(screen)![1]!;
    expect(screen).toMatch(/Console password for alice: \S{20,}/);
    expect(screen).toMatch(/[▄▀█]{20,}/);
    const now = Math.floor(Date.now() / 1000);
    await answer(s, '? Code shown now in the app', { type: generateSync({ secret, epoch: now }) });
    await answer(s, '? Next code', { type: generateSync({ secret, epoch: now + 30 }) });
    await answer(s, '? Have you activated it?', { type: 'y' });
    await answer(s, '? Budget name', {});
    await answer(s, '? Monthly budget in USD', { type: '25' });
    await answer(s, '? Email addresses for the alert', { type: 'ops@example.com' });
    await answer(s, '? Alert when actual costs pass this percentage', {});
    await answer(s, '? Create the budget "monthly-cost-budget"?', {});
    expect(await s.exitCode()).toBe(0);
    const summary = await s.screen();
    expect(summary).toMatch(/CREATED +account-alias/);
    expect(summary).toMatch(/CREATED +admin-group/);
    expect(summary).toMatch(/CREATED +admin-user /);
    expect(summary).toMatch(/CREATED +admin-user-mfa/);
    expect(summary).toMatch(/CREATED +budget/);
    expect(summary).toMatch(/MANUAL +root-mfa/);
    expect(summary).toMatch(/MANUAL +billing-access/);
    expect(summary).toContain('Sign-in URL:  https://acme-sandbox.signin.aws.amazon.com/console');
    expect(summary).toContain('Admin user:   alice');
    expect(summary).toContain('Left to do by hand:');

    // The account, read back without aws-bootstrap.
    const config = plainClientConfig(moto.server.endpoint);
    const iam = new IAMClient(config);
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['acme-sandbox']);
    const attached = (await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'Administrators' }))).AttachedPolicies!.map((p) => p.PolicyName);
    expect(attached.sort()).toEqual(['AdministratorAccess', 'aws-bootstrap-require-mfa']);
    expect((await iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }))).Groups!.map((g) => g.GroupName)).toEqual(['Administrators']);
    expect((await iam.send(new GetLoginProfileCommand({ UserName: 'alice' }))).LoginProfile?.UserName).toBe('alice');
    expect((await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }))).MFADevices).toHaveLength(1);
    const budgets = (await new BudgetsClient(config).send(new DescribeBudgetsCommand({ AccountId: ACCOUNT_ID }))).Budgets!;
    expect(budgets.map((b) => [b.BudgetName, b.BudgetLimit?.Amount])).toEqual([['monthly-cost-budget', expect.stringMatching(/^25(\.0+)?$/)]]);

    // `check` confirms it: everything but what no API can show passes.
    const check = await runCli(['check', '--json', '--endpoint-url', moto.server.endpoint], { env: isolatedEnv(MOTO_CREDENTIALS) });
    const statuses = Object.fromEntries(JSON.parse(check.stdout).controls.map((c: { id: string; status: string }) => [c.id, c.status]));
    expect(statuses).toEqual({
      'root-mfa': 'fail', // moto cannot enable root MFA
      'root-access-keys': 'pass',
      'account-alias': 'pass',
      'admin-group': 'pass',
      'admin-user': 'pass',
      'admin-user-mfa': 'pass',
      'billing-access': 'manual',
      budget: 'pass',
    });

    // The same run again: every default kept, nothing changes.
    await session!.kill();
    s = await start();
    await answer(s, 'Skip for now', { press: ['Enter'] });
    await answer(s, '? Keep the alias "acme-sandbox"?', {});
    await answer(s, '? Name of the admin group', {});
    await answer(s, '? Name of the admin IAM user', { type: 'alice' });
    await answer(s, '? Have you activated it?', { type: 'y' });
    await answer(s, '? Budget name', {});
    await answer(s, '? Monthly budget in USD', {});
    await answer(s, '? Email addresses for the alert', {});
    await answer(s, '? Alert when actual costs pass this percentage', {});
    expect(await s.exitCode()).toBe(0);
    const second = await s.screen();
    for (const id of ['root-access-keys', 'account-alias', 'admin-group', 'admin-user', 'admin-user-mfa', 'budget']) {
      expect(second).toMatch(new RegExp(`UNCHANGED +${id}`));
    }
    expect(second).toContain('Nothing changed: the account already matches what you asked for.');
  });

  it('ends with exit 130 and one line of what was done when Ctrl-C is pressed at a prompt', async () => {
    const s = await start();
    await answer(s, 'Skip for now', { press: ['Enter'] });
    await answer(s, '? Account alias', { type: 'acme-sandbox' });
    await answer(s, '? Set the alias "acme-sandbox"?', { type: 'y' });
    await s.waitFor('? Name of the admin group');
    await s.press('C-c');
    expect(await s.exitCode()).toBe(130);
    const screen = await s.screen();
    expect(screen).toContain('Interrupted. Done before the interruption: create iam:account-alias (acme-sandbox).');
    expect(screen).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
