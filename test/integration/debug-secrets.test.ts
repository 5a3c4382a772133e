import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSync } from 'otplib';
import { BUILT_CLI, isolatedEnv, MOTO_CREDENTIALS, runCli } from '../support/run-cli.js';
import { TmuxSession } from '../support/tmux-session.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

/** Values that must never be printed or written: moto accepts any secret key and ignores the session token. */
const SECRET_ACCESS_KEY = 'Sekr3tAccessKeyValue-0f9e8d7c6b5a4938271605';
const SESSION_TOKEN = 'SessionTokenValue-FwoGZXIvYXdzEJr-a1b2c3d4e5f6';
const PASSWORD = 'Known-Alice-Password-42!x';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe.skipIf(!motoAvailable)('--debug never shows secrets (init --config, check, plan against moto)', () => {
  const moto = useMoto();

  it('keeps the secret key, session token and password out of stdout, stderr and every file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-bootstrap-secrets-'));
    const config = join(dir, 'acme.yaml');
    writeFileSync(
      config,
      `accountAlias: acme-secrets
adminGroup:
  name: Administrators
adminUser:
  name: alice
  password: env:ALICE_PW
  mfa: defer
rootAccessKeys: report
budget:
  amount: 25
  alertThresholdPercent: 80
  emails: [ops@example.com]
`,
    );
    const env = isolatedEnv({
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      AWS_SESSION_TOKEN: SESSION_TOKEN,
      AWS_REGION: 'us-east-1',
      ALICE_PW: PASSWORD,
    });
    const cli = (...args: string[]) => runCli([...args, '--endpoint-url', moto.server.endpoint, '--debug'], { env });

    const runs = {
      init: await cli('init', '--config', config, '--yes'),
      check: await cli('check', '--config', config),
      plan: await cli('plan', '--config', config),
    };
    expect(runs.init.code).toBe(0);
    expect(runs.plan.code).toBe(0);
    // The runs really ran with --debug: requests and responses are there to leak from, with the password redacted.
    expect(runs.init.stderr).toMatch(/\[debug\] iam:CreateUser ok \(\d+ ms\) request \{"UserName":"alice"/);
    expect(runs.init.stderr).toContain('[debug] iam:CreateLoginProfile ok');
    expect(runs.init.stderr).toMatch(/iam:CreateLoginProfile ok .*"Password":"\(redacted\)"/);
    expect(runs.check.stderr).toMatch(/\[debug\] sts:GetCallerIdentity ok .* response \{.*"Account":"123456789012"/);

    const written = filesUnder(dir).filter((f) => f !== config);
    const homeFiles = filesUnder(env.HOME!);
    const outputs: [string, string][] = [
      ...Object.entries(runs).flatMap(([name, r]): [string, string][] => [
        [`${name} stdout`, r.stdout],
        [`${name} stderr`, r.stderr],
      ]),
      ...[...written, ...homeFiles].map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
    ];
    for (const [where, text] of outputs) {
      for (const secret of [SECRET_ACCESS_KEY, SESSION_TOKEN, PASSWORD]) {
        expect(text.includes(secret), `${secret.slice(0, 12)}... found in ${where}`).toBe(false);
      }
    }
    // Nothing but the config was written into the directory: the password came from the environment.
    expect(written).toEqual([]);
  });

  it('shows the MFA secret key once, on the terminal during enrolment, and nowhere in --debug output or files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-bootstrap-secrets-'));
    const config = join(dir, 'acme.yaml');
    writeFileSync(config, `adminGroup:\n  name: Administrators\nadminUser:\n  name: alice\n  password: env:ALICE_PW\n  mfa: prompt\n`);
    const env = isolatedEnv({ ...MOTO_CREDENTIALS, ALICE_PW: PASSWORD, TERM: 'xterm-256color' });
    const session = await TmuxSession.start(
      [process.execPath, BUILT_CLI, 'init', '--config', config, '--yes', '--debug', '--endpoint-url', moto.server.endpoint],
      env,
      { width: 250, height: 80 },
    );
    try {
      const screen = await session.waitFor('? Code shown now in the app');
      const seed = /Secret key \(for apps that cannot scan\): ([A-Z2-7]+)/.exec(screen)![1]!;
      const now = Math.floor(Date.now() / 1000);
      const codes = [generateSync({ secret: seed, epoch: now }), generateSync({ secret: seed, epoch: now + 30 })];
      await session.type(codes[0]!);
      await session.press('Enter');
      await session.waitFor('? Next code');
      await session.type(codes[1]!);
      await session.press('Enter');
      expect(await session.exitCode()).toBe(0);
      const lines = (await session.screen()).split('\n');
      // The enrolment calls were logged, with their secrets redacted.
      expect(lines.some((l) => /\[debug\] iam:CreateVirtualMFADevice ok .*"Base32StringSeed":"\(redacted\)"/.test(l))).toBe(true);
      expect(lines.some((l) => /\[debug\] iam:EnableMFADevice ok .*"AuthenticationCode1":"\(redacted\)"/.test(l))).toBe(true);
      expect(lines.filter((l) => l.includes(seed))).toEqual([`Secret key (for apps that cannot scan): ${seed}`]);
      for (const line of lines.filter((l) => l.includes('[debug]'))) {
        for (const secret of [PASSWORD, ...codes]) expect(line).not.toContain(secret);
      }
      for (const file of [...filesUnder(dir), ...filesUnder(env.HOME!)]) {
        expect(readFileSync(file, 'utf8').includes(seed), `the MFA secret key found in ${file}`).toBe(false);
      }
    } finally {
      await session.kill();
    }
  });
});
