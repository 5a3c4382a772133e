import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isolatedEnv, MOTO_CREDENTIALS, runCli } from '../support/run-cli.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What a user gets from npm: pack the package, install the tarball in an empty project, run its bin. */
describe.skipIf(!motoAvailable)('the packed tarball', () => {
  const moto = useMoto();

  it('installs with nothing else to download and runs `check --json` against moto', async () => {
    const work = mkdtempSync(join(tmpdir(), 'aws-bootstrap-pack-'));
    const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
    execFileSync('npm', ['pack', '--pack-destination', work], { cwd: ROOT, env: npmEnv, stdio: 'pipe' });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    const files = execFileSync('tar', ['-tzf', join(work, tarball)], { encoding: 'utf8' }).trim().split('\n');
    expect(files).toContain('package/dist/cli.cjs');
    expect(files.filter((f) => f.startsWith('package/src/') || f.startsWith('package/test/'))).toEqual([]);

    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}');
    execFileSync('npm', ['install', '--offline', '--no-save', join(work, tarball)], { cwd: app, env: npmEnv, stdio: 'pipe' });

    const bin = join(app, 'node_modules', '.bin', 'aws-bootstrap');
    const result = await runCli(['check', '--json', '--endpoint-url', moto.server.endpoint], {
      bin: [bin],
      env: isolatedEnv(MOTO_CREDENTIALS),
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.version).toBe(1);
    expect(report.summary).toEqual({ pass: 1, fail: 5, manual: 1, error: 0, skipped: 1 });
    expect(report.controls.find((c: { id: string }) => c.id === 'root-mfa').status).toBe('fail');
    expect(report.controls.find((c: { id: string }) => c.id === 'billing-access').status).toBe('manual');

    const version = await runCli(['--version'], { bin: [bin] });
    expect(version.code).toBe(0);
  });
});
