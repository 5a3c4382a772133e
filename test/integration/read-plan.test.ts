import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACME_STATUSES, statusesOf, writeAcmeConfig } from '../support/acme-config.js';
import { sequentialRounds, startFaultProxy, type FaultProxy, type ProxiedRequest } from '../support/fault-proxy.js';
import { motoSeeder } from '../support/moto-seed.js';
import { isolatedEnv, MOTO_CREDENTIALS, runCli, withReadPlans } from '../support/run-cli.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

/** How Node prints a process warning on stderr: `(node:1234) SomeWarning: ...`. */
const NODE_WARNING = /\(node:\d+\) \w*Warning/;

/** Each answer is held this long: longer than the CLI takes to send the reads that do not wait for one another. */
const HOLD_MS = 150;

const planDir = (env: NodeJS.ProcessEnv) => join(env.HOME!, '.cache', 'aws-bootstrap', 'read-plans');
const controlsOf = (stdout: string) =>
  Object.fromEntries((JSON.parse(stdout).controls as { id: string; status: string }[]).map((c) => [c.id, c.status]));
/** One line per request, its body included: two requests are the same read only if these are equal. */
const readsOf = (requests: readonly ProxiedRequest[]) => requests.map((r) => `${r.service}:${r.operation} ${r.body}`).sort();
const detailOf = (stdout: string, id: string) =>
  (JSON.parse(stdout).controls as { id: string; detail: string }[]).find((c) => c.id === id)?.detail ?? '';

/**
 * Read plans (src/core/aws/read-plan.ts): a run keeps the reads it made; the next run with the same credentials
 * sends them all at once, first, so reads that wait on others are answered without waiting.
 */
describe.skipIf(!motoAvailable)('read plans (built CLI against moto)', () => {
  const moto = useMoto();

  async function finishedAccount() {
    const acme = writeAcmeConfig();
    const env = withReadPlans(isolatedEnv(MOTO_CREDENTIALS));
    const first = await runCli(['init', '--config', acme.file, '--yes', '--json', '--endpoint-url', moto.server.endpoint], { env });
    expect(statusesOf(first.stdout)).toEqual(ACME_STATUSES.fresh);
    return { acme, env };
  }

  /** One proxy for the whole test: the endpoint is part of what a plan is kept for. */
  async function withProxy<T>(run: (proxy: FaultProxy) => Promise<T>): Promise<T> {
    const proxy = await startFaultProxy(moto.server.endpoint, { afterUpstream: () => new Promise((r) => setTimeout(r, HOLD_MS)) });
    try {
      return await run(proxy);
    } finally {
      await proxy.close();
    }
  }

  /** Adds reads to the plan the last `check` kept (as if an earlier run had made them). */
  function addToCheckPlan(env: NodeJS.ProcessEnv, reads: { call: string; input: Record<string, unknown> }[]) {
    const [file] = readdirSync(planDir(env)).filter((f) => {
      const planned = JSON.parse(readFileSync(join(planDir(env), f), 'utf8')).reads as { call: string }[];
      return planned.some((r) => r.call === 'iam:ListEntitiesForPolicy');
    });
    const path = join(planDir(env), file!);
    const plan = JSON.parse(readFileSync(path, 'utf8')) as { reads: { call: string; input: Record<string, unknown> }[] };
    plan.reads.push(...reads);
    writeFileSync(path, JSON.stringify(plan), { mode: 0o600 });
  }

  /** A check through the proxy: its report and the requests it made (the proxy's list starts empty). */
  async function check(proxy: FaultProxy, env: NodeJS.ProcessEnv) {
    proxy.requests.length = 0;
    const result = await runCli(['check', '--json', '--endpoint-url', proxy.endpoint], { env });
    expect([0, 1], result.stderr).toContain(result.code);
    expect(result.stderr).not.toMatch(NODE_WARNING);
    return { result, requests: [...proxy.requests] };
  }

  it('check: the second run sends the same reads, each once, all in one round, and reports the same', async () => {
    const { env } = await finishedAccount();
    await withProxy(async (proxy) => {
      const first = await check(proxy, env);
      expect(sequentialRounds(first.requests).depth).toBe(3);
      const second = await check(proxy, env);
      expect(readsOf(second.requests)).toEqual(readsOf(first.requests));
      expect(new Set(readsOf(second.requests)).size).toBe(second.requests.length);
      const { depth, rounds } = sequentialRounds(second.requests);
      expect(depth, JSON.stringify(rounds)).toBe(1);
      expect(second.requests.filter((r) => r.write)).toEqual([]);
      expect(controlsOf(second.result.stdout)).toEqual(controlsOf(first.result.stdout));
      expect(controlsOf(second.result.stdout)).toMatchObject({ 'admin-user': 'pass', budget: 'pass' });
    });
  });

  it('check: what changed since the plan is read live (a new admin is found and read), and the next plan has it', async () => {
    const { env } = await finishedAccount();
    await withProxy(async (proxy) => {
      await check(proxy, env);
      await motoSeeder(moto.server.endpoint).user('mallory', { group: 'Administrators', consolePassword: true });

      const changed = await check(proxy, env);
      expect(detailOf(changed.result.stdout, 'admin-user')).toContain('mallory');
      expect(detailOf(changed.result.stdout, 'admin-user-mfa')).toContain('mallory');
      const mallory = changed.requests.filter((r) => r.body.includes('mallory')).map((r) => r.operation).sort();
      expect(mallory).toEqual(['GetLoginProfile', 'ListMFADevices']);
      // Her reads wait for the group's members, read live: one round after the plan's.
      expect(sequentialRounds(changed.requests).depth).toBe(2);
      expect(new Set(readsOf(changed.requests)).size).toBe(changed.requests.length);

      const next = await check(proxy, env);
      expect(sequentialRounds(next.requests).depth).toBe(1);
      expect(detailOf(next.result.stdout, 'admin-user')).toContain('mallory');
    });
  });

  it('check: a plan that predicts reads the run no longer makes (a group, a user, another account) changes nothing in the report', async () => {
    const { env } = await finishedAccount();
    await withProxy(async (proxy) => {
      const honest = await check(proxy, env);
      addToCheckPlan(env, [
        { call: 'iam:GetGroup', input: { GroupName: 'Former-Admins', MaxItems: 1000 } },
        { call: 'iam:GetLoginProfile', input: { UserName: 'bob' } },
        { call: 'iam:ListMFADevices', input: { UserName: 'bob' } },
        { call: 'budgets:DescribeBudgets', input: { AccountId: '210987654321', MaxResults: 100 } },
      ]);

      const predicted = await check(proxy, env);
      expect(predicted.result.code).toBe(honest.result.code);
      expect(JSON.parse(predicted.result.stdout)).toEqual(JSON.parse(honest.result.stdout));
      expect(predicted.requests.filter((r) => /bob|Former-Admins|210987654321/.test(r.body)).map((r) => r.operation).sort()).toEqual([
        'DescribeBudgets',
        'GetGroup',
        'GetLoginProfile',
        'ListMFADevices',
      ]);
      // The next plan leaves out what the run did not ask for.
      const next = await check(proxy, env);
      expect(next.requests.filter((r) => /bob|Former-Admins|210987654321/.test(r.body))).toEqual([]);
      expect(sequentialRounds(next.requests).depth).toBe(1);
    });
  });

  it('check: reads only the plan makes that fail (throttled, a server error) change nothing: no error shown, the same report, and the next plan leaves them out', async () => {
    const { env } = await finishedAccount();
    await withProxy(async (proxy) => {
      const honest = await check(proxy, env);
      addToCheckPlan(env, [
        { call: 'iam:GetLoginProfile', input: { UserName: 'bob' } },
        { call: 'iam:ListMFADevices', input: { UserName: 'bob' } },
      ]);
      proxy.hooks.fault = (r) => (!r.body.includes('bob') ? undefined : r.operation === 'GetLoginProfile' ? 'throttle' : 'server-error');

      const predicted = await check(proxy, env);
      expect(predicted.requests.filter((r) => r.fault).map((r) => r.operation)).toEqual(expect.arrayContaining(['GetLoginProfile', 'ListMFADevices']));
      expect(predicted.result.code).toBe(honest.result.code);
      expect(JSON.parse(predicted.result.stdout)).toEqual(JSON.parse(honest.result.stdout));
      expect(predicted.result.stderr).not.toMatch(/bob|throttl|ServiceFailure|InternalError|500/i);

      proxy.hooks.fault = undefined;
      const next = await check(proxy, env);
      expect(next.requests.filter((r) => r.body.includes('bob'))).toEqual([]);
      expect(sequentialRounds(next.requests).depth).toBe(1);
    });
  });

  /** The same profile with other credentials: temporary ones rotate (SSO, an assumed role, CloudShell). */
  const rotated = (env: NodeJS.ProcessEnv) => ({ ...env, AWS_ACCESS_KEY_ID: 'ASIAROTATEDEXAMPLE01', AWS_SESSION_TOKEN: 'rotated-session' });
  /** Names something of the account: its id, or a user, group or budget (query or JSON parameter). */
  const namesAnAccount = (r: ProxiedRequest) => /[0-9]{12}|UserName|GroupName|BudgetName/.test(r.body);

  it('check with other credentials (rotated): reads naming nothing of the account go at once, the rest once the caller shows the plan\'s account; 2 rounds, the same report', async () => {
    const { env } = await finishedAccount();
    await withProxy(async (proxy) => {
      const before = await check(proxy, env);
      const after = await check(proxy, rotated(env));
      expect(readsOf(after.requests)).toEqual(readsOf(before.requests));
      expect(new Set(readsOf(after.requests)).size).toBe(after.requests.length);
      const { depth, rounds } = sequentialRounds(after.requests);
      expect(depth, JSON.stringify(rounds)).toBe(2);
      const caller = after.requests.find((r) => r.operation === 'GetCallerIdentity')!;
      const accountReads = after.requests.filter(namesAnAccount);
      expect(accountReads.map((r) => r.operation).sort()).toEqual(
        ['DescribeBudgetNotificationsForAccount', 'DescribeBudgets', 'DescribeSubscribersForNotification', 'GetGroup', 'GetLoginProfile', 'ListMFADevices'].sort(),
      );
      for (const r of accountReads) expect(r.arrivedAt).toBeGreaterThan(caller.answeredAt!);
      // What names nothing of the account in the first round; the rest (the admin group's members, their login
      // profiles and MFA devices, the budgets) all in the second, where the plan had them.
      expect([...rounds[0]!].sort()).toEqual(after.requests.filter((r) => !namesAnAccount(r)).map((r) => r.operation).sort());
      expect(controlsOf(after.result.stdout)).toEqual(controlsOf(before.result.stdout));
      // The plan is now these credentials': all at once again.
      const again = await check(proxy, rotated(env));
      expect(sequentialRounds(again.requests).depth).toBe(1);
    });
  });

  it('with other credentials, no planned read that names something of another account than the caller\'s is sent', async () => {
    const { env } = await finishedAccount();
    await withProxy(async (proxy) => {
      const honest = await check(proxy, env);
      const [file] = readdirSync(planDir(env)).filter((f) => readFileSync(join(planDir(env), f), 'utf8').includes('ListEntitiesForPolicy'));
      const path = join(planDir(env), file!);
      const planned = JSON.parse(readFileSync(path, 'utf8').replaceAll('123456789012', '210987654321')) as { reads: object[] };
      planned.reads.push({ call: 'iam:GetLoginProfile', input: { UserName: 'bob' } });
      writeFileSync(path, JSON.stringify(planned), { mode: 0o600 });

      const other = await check(proxy, rotated(env));
      expect(other.requests.filter((r) => r.body.includes('210987654321'))).toEqual([]);
      // Nor a name the plan has from that account: the caller is not the plan's account.
      expect(other.requests.filter((r) => r.body.includes('bob'))).toEqual([]);
      expect(JSON.parse(other.result.stdout)).toEqual(JSON.parse(honest.result.stdout));
      expect(new Set(readsOf(other.requests)).size).toBe(other.requests.length);
    });
  });

  it('init --config re-run: one round of reads, nothing written', async () => {
    const { acme, env } = await finishedAccount();
    const proxy = await startFaultProxy(moto.server.endpoint, { afterUpstream: () => new Promise((r) => setTimeout(r, HOLD_MS)) });
    try {
      for (const round of [2, 1]) {
        proxy.requests.length = 0;
        const again = await runCli(['init', '--config', acme.file, '--yes', '--json', '--endpoint-url', proxy.endpoint], { env });
        expect(statusesOf(again.stdout)).toEqual(ACME_STATUSES.again);
        // e.g. MaxListenersExceededWarning, had every read sent ahead listened on one AbortSignal
        expect(again.stderr).not.toMatch(NODE_WARNING);
        expect(proxy.requests.filter((r) => r.write)).toEqual([]);
        expect(new Set(readsOf(proxy.requests)).size).toBe(proxy.requests.length);
        expect(sequentialRounds(proxy.requests).depth).toBe(round);
      }
    } finally {
      await proxy.close();
    }
  });

  it('init --config: the plan goes out before the file is read; a file that fails validation ends the run at once, the plan kept', async () => {
    const { acme, env } = await finishedAccount();
    const hold = { ms: 0 };
    const proxy = await startFaultProxy(moto.server.endpoint, { afterUpstream: () => new Promise((r) => setTimeout(r, hold.ms)) });
    try {
      const args = ['init', '--config', acme.file, '--yes', '--json', '--endpoint-url', proxy.endpoint];
      expect(statusesOf((await runCli(args, { env })).stdout)).toEqual(ACME_STATUSES.again);
      const newest = (f: string) => statSync(join(planDir(env), f)).mtimeMs;
      const [planFile] = readdirSync(planDir(env)).sort((a, b) => newest(b) - newest(a)); // this endpoint's init plan
      const plan = readFileSync(join(planDir(env), planFile!), 'utf8');

      writeFileSync(acme.file, readFileSync(acme.file, 'utf8').replace('amount: 25', 'amount: -5'));
      hold.ms = 5_000; // answers held longer than the run may take
      proxy.requests.length = 0;
      const started = performance.now();
      const bad = await runCli(args, { env });
      expect(bad.code, bad.stderr).toBe(2);
      expect(bad.stderr).toMatch(/amount/);
      expect(performance.now() - started).toBeLessThan(4_000);
      // The plan's reads had gone out (the file was not read yet), and the plan is the last complete run's.
      expect(proxy.requests.length).toBeGreaterThan(0);
      expect(proxy.requests.filter((r) => r.write)).toEqual([]);
      expect(readFileSync(join(planDir(env), planFile!), 'utf8')).toBe(plan);
    } finally {
      await proxy.close();
    }
  });

  it('the plan is a private file that names reads, not credentials; one that others could write is not used', async () => {
    const { env } = await finishedAccount();
    await withProxy(async (proxy) => {
      await check(proxy, env);
      const dir = planDir(env);
      const files = readdirSync(dir);
      expect(files).toHaveLength(2); // init's and check's
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const file of files) {
        expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
        const text = readFileSync(join(dir, file), 'utf8');
        expect(text).not.toContain(MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID);
        const plan = JSON.parse(text) as { version: number; credential: string; account: string; reads: { call: string; input: object }[] };
        expect(Object.keys(plan)).toEqual(['version', 'credential', 'account', 'reads']);
        expect(plan.account).toBe('123456789012');
        // Which credentials made it, as a one-way hash: not the access key id.
        expect(plan.credential).toMatch(/^[0-9a-f]{16}$/);
        expect(plan.reads.length).toBeGreaterThan(0);
        // Requests only: no answer (ARNs, ids, dates) is kept.
        for (const read of plan.reads) expect(Object.keys(read)).toEqual(['call', 'input']);
        expect(text).not.toMatch(/"(Arn|UserId|CreateDate|Subscribers|SummaryMap)"/);
      }
      for (const file of files) chmodSync(join(dir, file), 0o666);
      const ignored = await check(proxy, env);
      expect(sequentialRounds(ignored.requests).depth).toBe(3);
      // That run wrote its own plan (0600 again), which the next run uses.
      const after = await check(proxy, env);
      expect(sequentialRounds(after.requests).depth).toBe(1);
    });
  });

  it('AWS_BOOTSTRAP_NO_READ_PLAN: no plan is written or used', async () => {
    const acme = writeAcmeConfig();
    const env = isolatedEnv(MOTO_CREDENTIALS);
    expect(env.AWS_BOOTSTRAP_NO_READ_PLAN).toBe('1');
    await runCli(['init', '--config', acme.file, '--yes', '--json', '--endpoint-url', moto.server.endpoint], { env });
    await withProxy(async (proxy) => {
      await check(proxy, env);
      const second = await check(proxy, env);
      expect(sequentialRounds(second.requests).depth).toBe(3);
    });
    expect(existsSync(planDir(env))).toBe(false);
  });
});
