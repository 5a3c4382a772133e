import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { accountBaseline } from '../support/account-baseline.js';
import { ACME_STATUSES, statusesOf, writeAcmeConfig } from '../support/acme-config.js';
import { plainClientConfig } from '../support/moto-clients.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../support/fault-proxy.js';
import { isolatedEnv, MOTO_CREDENTIALS, startCli } from '../support/run-cli.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

/** What `init --config --yes` with the file below makes of a fresh account, read back without aws-bootstrap. */
const BASELINE = {
  aliases: ['acme-sandbox'],
  groups: [{ name: 'Administrators', policies: ['AdministratorAccess', 'aws-bootstrap-require-mfa'] }],
  users: [{ name: 'alice', groups: ['Administrators'], policies: [], consolePassword: true, mfaDevices: 0 }],
  unassignedMfaDevices: [],
  localPolicies: [{ name: 'aws-bootstrap-require-mfa', path: '/aws-bootstrap/', versions: 1 }],
  budgets: [
    {
      name: 'monthly-cost-budget',
      kind: 'MONTHLY COST',
      limit: '25 USD',
      notifications: [{ alert: 'ACTUAL GREATER_THAN 80 PERCENTAGE', subscribers: ['EMAIL ops@example.com'] }],
    },
  ],
};

/** The writes of a run on a fresh account, in order. */
const WRITES = [
  'CreateAccountAlias',
  'CreateGroup',
  'CreatePolicy',
  'AttachGroupPolicy',
  'AttachGroupPolicy',
  'CreateUser',
  'AddUserToGroup',
  'CreateLoginProfile',
  'CreateBudget',
];


const setUp = (rootAccessKeys: 'report' | 'delete' = 'report') => writeAcmeConfig({ rootAccessKeys });

describe.skipIf(!motoAvailable)('init --config --yes under faults: throttling, 5xx, crashes, two runs at once, Ctrl-C', () => {
  const moto = useMoto();
  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  const init = (endpoint: string, file: string) =>
    startCli(['init', '--config', file, '--yes', '--json', '--endpoint-url', endpoint], { env: isolatedEnv(MOTO_CREDENTIALS), timeoutMs: 90_000 });

  /** With callerIsRoot on, moto's test key signs as the root user: ListAccessKeys without UserName lists root's keys. */
  const rootAccessKeys = async () =>
    ((await new IAMClient(plainClientConfig(moto.server.endpoint)).send(new ListAccessKeysCommand({}))).AccessKeyMetadata ?? []).map(
      (k) => k.AccessKeyId,
    );

  /** The password file holds the one password and nothing is left pending. */
  const expectPasswordHandedOver = (passwordFile: string) => {
    expect(readFileSync(passwordFile, 'utf8').trim().length).toBeGreaterThanOrEqual(20);
    expect(existsSync(`${passwordFile}.pending`)).toBe(false);
  };

  it('ends in the baseline with 20% of answers throttled and 5% HTTP 500, and a re-run reports all unchanged', async () => {
    // By arrival: 4 of every 20 requests throttled, 1 answered 500, whatever order the parallel reads come in.
    // On top, the first attempt of a write of each protocol and of the STS call always fails.
    const failFirst = new Map<string, Fault>([
      ['CreateUser', 'throttle'],
      ['CreateBudget', 'server-error'],
      ['GetCallerIdentity', 'server-error'],
    ]);
    let arrived = 0;
    proxy = await startFaultProxy(moto.server.endpoint, {
      fault: (request) => {
        const forced = failFirst.get(request.operation);
        if (forced) {
          failFirst.delete(request.operation);
          return forced;
        }
        const k = (arrived += 1) % 20;
        return [1, 6, 11, 16].includes(k) ? 'throttle' : k === 13 ? 'server-error' : undefined;
      },
    });
    const { file, passwordFile } = setUp();

    const first = await init(proxy.endpoint, file).done;
    expect(first.stderr).not.toMatch(/\n\s+at /);
    expect(first.code).toBe(0);
    expect(statusesOf(first.stdout)).toMatchObject({ 'account-alias': 'created', 'admin-user': 'created', budget: 'created' });
    expect(await accountBaseline(moto.server.endpoint)).toEqual(BASELINE);
    expectPasswordHandedOver(passwordFile);

    const second = await init(proxy.endpoint, file).done;
    expect(second.code).toBe(0);
    expect(statusesOf(second.stdout)).toEqual(ACME_STATUSES.again);
    expect(await accountBaseline(moto.server.endpoint)).toEqual(BASELINE);

    // The faults really happened, to reads and writes of every service.
    const faulted = proxy.requests.filter((r) => r.fault);
    expect(faulted.filter((r) => r.fault === 'throttle').length).toBeGreaterThanOrEqual(8);
    expect(faulted.filter((r) => r.fault === 'server-error').length).toBeGreaterThanOrEqual(2);
    expect(new Set(faulted.map((r) => r.service))).toEqual(new Set(['iam', 'sts', 'budgets']));
    expect(faulted.filter((r) => r.write).map((r) => r.operation)).toEqual(expect.arrayContaining(['CreateUser', 'CreateBudget']));
  });

  it('makes these writes, in this order, on a fresh account (the kill points below)', async () => {
    proxy = await startFaultProxy(moto.server.endpoint);
    const reference = await init(proxy.endpoint, setUp().file).done;
    expect(reference.code).toBe(0);
    expect(proxy.requests.filter((r) => r.write).map((r) => r.operation)).toEqual(WRITES);
  });

  it.each(WRITES.map((operation, i) => [i + 1, operation] as const))(
    'converges to the baseline, with no orphan and the password kept, after a SIGKILL right after write %i (%s)',
    async (killAfter, operation) => {
      let seen = 0;
      let victim: number | undefined;
      proxy = await startFaultProxy(moto.server.endpoint, {
        afterUpstream(request) {
          if (!request.write || (seen += 1) !== killAfter) return;
          // The write has happened in the emulator; the CLI dies before it hears so.
          expect(request.operation).toBe(operation);
          process.kill(victim!, 'SIGKILL');
        },
      });
      const { file, passwordFile } = setUp();
      const crashed = init(proxy.endpoint, file);
      victim = crashed.pid;
      expect((await crashed.done).signal).toBe('SIGKILL');

      proxy.hooks = {};
      const rerun = await init(proxy.endpoint, file).done;
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await accountBaseline(moto.server.endpoint)).toEqual(BASELINE);
      // No password is lost, whichever side of CreateLoginProfile the crash fell on.
      expectPasswordHandedOver(passwordFile);
    },
  );

  it.each([1, 2])(
    'as root with two root access keys, converges after a SIGKILL right after DeleteAccessKey %i: no root key is left',
    async (killAfter) => {
      await moto.server.setRoot({ callerIsRoot: true, rootAccessKeys: ['AKIAROOTKEY000000001', 'AKIAROOTKEY000000002'] });
      let seen = 0;
      let victim: number | undefined;
      proxy = await startFaultProxy(moto.server.endpoint, {
        afterUpstream(request) {
          if (request.operation === 'DeleteAccessKey' && (seen += 1) === killAfter) process.kill(victim!, 'SIGKILL');
        },
      });
      const { file, passwordFile } = setUp('delete');
      const crashed = init(proxy.endpoint, file);
      victim = crashed.pid;
      expect((await crashed.done).signal).toBe('SIGKILL');
      expect(await rootAccessKeys()).toHaveLength(2 - killAfter);

      proxy.hooks = {};
      const rerun = await init(proxy.endpoint, file).done;
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await rootAccessKeys()).toEqual([]);
      expect(await accountBaseline(moto.server.endpoint)).toEqual(BASELINE);
      expectPasswordHandedOver(passwordFile);
    },
  );

  it('two runs at once end in the baseline, without duplicates, both exiting 0', async () => {
    proxy = await startFaultProxy(moto.server.endpoint);
    const { file, passwordFile } = setUp();
    const [a, b] = await Promise.all([init(proxy.endpoint, file).done, init(proxy.endpoint, file).done]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(await accountBaseline(moto.server.endpoint)).toEqual(BASELINE);
    expectPasswordHandedOver(passwordFile);
    const third = await init(proxy.endpoint, file).done;
    expect(statusesOf(third.stdout)).toEqual(ACME_STATUSES.again);
  });

  it('Ctrl-C during a write: exit 130, one line naming what was done and the unanswered write, no stack', async () => {
    let victim: number | undefined;
    proxy = await startFaultProxy(moto.server.endpoint, {
      async afterUpstream(request) {
        if (request.operation !== 'CreateUser') return;
        process.kill(victim!, 'SIGINT');
        await new Promise((r) => setTimeout(r, 2_000));
      },
    });
    const { file, passwordFile } = setUp();
    const run = init(proxy.endpoint, file);
    victim = run.pid;
    const interrupted = await run.done;
    expect(interrupted.code).toBe(130);
    const lines = interrupted.stderr.split('\n').filter((l) => l.includes('interrupted'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^aws-bootstrap: interrupted\. Done before the interruption: create iam:account-alias/);
    expect(lines[0]).toContain('create iam:group/Administrators');
    expect(lines[0]).toContain('Sent but not answered, so perhaps done: iam:CreateUser.');
    expect(interrupted.stderr).not.toMatch(/\n\s+at /);
    expect(interrupted.stdout).toBe('');

    proxy.hooks = {};
    const rerun = await init(proxy.endpoint, file).done;
    expect(rerun.code).toBe(0);
    expect(await accountBaseline(moto.server.endpoint)).toEqual(BASELINE);
    expectPasswordHandedOver(passwordFile);
  });
});
