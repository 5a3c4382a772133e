import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isolatedEnv, runCli } from '../support/run-cli.js';

/**
 * The built CLI against the real AWS endpoints' host names, with a preload (test/support/no-dns.cjs) that makes
 * every non-loopback name fail to resolve the way a name that does not exist does (ENOTFOUND): what a typo region's
 * regional STS host really answers, without a DNS query or any other traffic leaving the machine. The preload
 * logs the names asked for, so the test sees which host the SDK tried.
 */
const NO_DNS = fileURLToPath(new URL('../support/no-dns.cjs', import.meta.url));

function offlineEnv(extra: Record<string, string> = {}) {
  const env = isolatedEnv({ NODE_OPTIONS: `--require ${NO_DNS}`, ...extra });
  const dnsLog = join(env.HOME!, 'dns.log');
  writeFileSync(dnsLog, '');
  env.NO_DNS_LOG = dnsLog;
  return { env, asked: () => new Set(readFileSync(dnsLog, 'utf8').split('\n').filter(Boolean)) };
}

const KEYS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'not-a-secret' };

async function checkOffline(args: string[], extra: Record<string, string> = {}, setUp?: (home: string) => void) {
  const { env, asked } = offlineEnv(extra);
  setUp?.(env.HOME!);
  const started = Date.now();
  const result = await runCli(['check', ...args], { env });
  const elapsed = Date.now() - started;
  const paragraphs = result.stderr.split('\n').filter((l) => l.startsWith('aws-bootstrap:'));
  return { result, elapsed, paragraphs, asked: asked() };
}

describe('a wrong region (built CLI, DNS answered on this machine)', () => {
  it('a typo region (--region eu-wset-1): exit 3 within 20 s, one paragraph naming it, its source and the likely region', async () => {
    const { result, elapsed, paragraphs, asked } = await checkOffline(['--region', 'eu-wset-1'], KEYS);
    expect(asked).toContain('sts.eu-wset-1.amazonaws.com');
    expect(result.code).toBe(3);
    expect(elapsed).toBeLessThan(20_000);
    expect(result.stdout).toBe('');
    expect(paragraphs).toHaveLength(1);
    expect(paragraphs[0]).toContain('Could not reach AWS for sts:GetCallerIdentity');
    expect(paragraphs[0]).toContain('"eu-wset-1" (from --region)');
    expect(paragraphs[0]).toContain('did you mean eu-west-1? Run with --region eu-west-1');
    expect(paragraphs[0]).toContain('ENOTFOUND sts.eu-wset-1.amazonaws.com');
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('names AWS_REGION, or the profile, as where the typo came from', async () => {
    const fromEnv = await checkOffline([], { ...KEYS, AWS_REGION: 'us-esat-1' });
    expect(fromEnv.result.code).toBe(3);
    expect(fromEnv.paragraphs).toHaveLength(1);
    expect(fromEnv.paragraphs[0]).toContain('"us-esat-1" (from AWS_REGION)');
    expect(fromEnv.paragraphs[0]).toContain('--region us-east-1 (or correct AWS_REGION)');

    const fromProfile = await checkOffline(['--profile', 'work'], {}, (home) => {
      mkdirSync(join(home, '.aws'));
      writeFileSync(join(home, '.aws', 'config'), '[profile work]\nregion = eu-wset-1\n');
      writeFileSync(join(home, '.aws', 'credentials'), '[work]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = not-a-secret\n');
    });
    expect(fromProfile.asked).toContain('sts.eu-wset-1.amazonaws.com');
    expect(fromProfile.result.code).toBe(3);
    expect(fromProfile.paragraphs).toHaveLength(1);
    expect(fromProfile.paragraphs[0]).toContain('"eu-wset-1" (from profile "work")');
    expect(fromProfile.paragraphs[0]).toContain('(or correct profile "work")');
  });

  it('a known region that does not resolve is a network problem, and says so with the region', async () => {
    const { result, elapsed, paragraphs, asked } = await checkOffline(['--region', 'eu-west-1'], KEYS);
    expect(asked).toContain('sts.eu-west-1.amazonaws.com');
    expect(result.code).toBe(3);
    expect(elapsed).toBeLessThan(20_000);
    expect(paragraphs).toHaveLength(1);
    expect(paragraphs[0]).toContain('Could not reach AWS for sts:GetCallerIdentity in the region eu-west-1 (from --region)');
    expect(paragraphs[0]).toContain('check the network connection');
    expect(paragraphs[0]).not.toContain('did you mean');
  });
});
