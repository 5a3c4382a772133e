import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedEnv, runCli } from '../support/run-cli.js';
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
    // The runs really ran with --debug: the debug output is there to leak from.
    expect(runs.init.stderr.length).toBeGreaterThan(0);

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
});
