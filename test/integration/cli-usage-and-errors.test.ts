import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAcmeConfig } from '../support/acme-config.js';
import { freePort } from '../support/moto-server.js';
import { isolatedEnv, MOTO_CREDENTIALS, runCli, withReadPlans } from '../support/run-cli.js';

/** These run the built CLI without any AWS endpoint: they need no emulator. */
describe('aws-bootstrap usage and AWS failures (built CLI)', () => {
  const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

  it('prints the version on stdout', async () => {
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default;
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('lists commands, global options and exit codes in --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const text of ['check', '--profile', '--region', '--endpoint-url', '--no-color', '--debug', '130']) {
      expect(result.stdout).toContain(text);
    }
    const checkHelp = await runCli(['check', '--help']);
    expect(checkHelp.stdout).toContain('--format <format>');
    expect(checkHelp.stdout).toContain('--profile <name>');
  });

  it.each([
    [['check', '--bogus'], "unknown option '--bogus'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['check', '--region', 'nowhere'], '--region: "nowhere" is not an AWS region name'],
    [['check', '--endpoint-url', 'not a url'], '--endpoint-url: "not a url" is not a URL'],
    [['check', '--endpoint-url', 'ftp://127.0.0.1'], 'must start with http:// or https://'],
    [['check', '--format', 'xml'], 'Allowed choices are table, json, markdown'],
    [['check', '--json', '--format', 'markdown'], '--json and --format markdown ask for two formats'],
    [['init'], 'init asks questions and needs a terminal'],
    [['init', '--yes'], 'aws-bootstrap init --config FILE --yes'],
    [['init', '--only', 'budget,bugdet'], 'unknown step id "bugdet"'],
    [['init', '--only', 'budget', '--skip', 'root-mfa'], '--only and --skip cannot be used together'],
  ])('exits 2 on %j with a clear message and no AWS call', async (args, message) => {
    // No credentials and no endpoint: if anything reached for AWS, the exit code would be 3.
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
    noStack(result.stderr);
  });

  it('exits 3 with one paragraph and no stack trace when there are no credentials at all', async () => {
    const result = await runCli(['check'], { env: isolatedEnv() });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    const message = result.stderr.split('\n').filter((l) => l.startsWith('aws-bootstrap:'));
    expect(message).toHaveLength(1);
    expect(message[0]).toContain('No AWS credentials were found');
    expect(message[0]).toContain('CloudShell');
    noStack(result.stderr);
    expect(result.stderr).not.toContain('NodeVersionSupportWarning');
  });

  it('says the same with read plans on, for check and init --config (the plan waits for the same credentials)', async () => {
    const { file } = writeAcmeConfig();
    for (const args of [['check'], ['init', '--config', file, '--yes']]) {
      const env = withReadPlans(isolatedEnv());
      const result = await runCli(args, { env });
      expect(result.code, args.join(' ')).toBe(3);
      const message = result.stderr.split('\n').filter((l) => l.startsWith('aws-bootstrap:'));
      expect(message).toHaveLength(1);
      expect(message[0]).toContain('No AWS credentials were found');
      noStack(result.stderr);
      expect(existsSync(join(env.HOME!, '.cache', 'aws-bootstrap', 'read-plans'))).toBe(false);
    }
  });

  it('names the profile when --profile has no credentials', async () => {
    const result = await runCli(['check', '--profile', 'does-not-exist'], { env: isolatedEnv() });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('for profile "does-not-exist"');
  });

  it('exits 3 naming the endpoint when AWS cannot be reached', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const result = await runCli(['check', '--endpoint-url', endpoint], { env: isolatedEnv(MOTO_CREDENTIALS) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`Could not reach AWS at ${endpoint}`);
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(Date.now() - started).toBeLessThan(20_000);
    noStack(result.stderr);
  });

  it('shows the stack of an AWS failure only under --debug', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const result = await runCli(['check', '--endpoint-url', endpoint, '--debug'], { env: isolatedEnv(MOTO_CREDENTIALS) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('[debug] error code AWS_NETWORK');
    expect(result.stderr).toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
