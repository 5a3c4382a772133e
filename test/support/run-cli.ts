import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILT_CLI = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * An environment with nothing of the developer's machine in it: a fresh HOME (no ~/.aws), no AWS_* variables,
 * no instance metadata lookups. Tests add exactly the credentials and endpoint they mean.
 */
export function isolatedEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('AWS_') && !['CI', 'FORCE_COLOR', 'NO_COLOR', 'XDG_CACHE_HOME', 'NODE_DISABLE_COMPILE_CACHE'].includes(k)) env[k] = v;
  }
  const home = mkdtempSync(join(tmpdir(), 'aws-bootstrap-home-'));
  // The launcher's code cache is off (a megabyte or more per fresh HOME otherwise); code-cache.test.ts turns it on.
  // So are read plans, so that each run's reads are its own: read-plan.test.ts turns them on (withReadPlans).
  return { ...env, HOME: home, AWS_EC2_METADATA_DISABLED: 'true', NODE_DISABLE_COMPILE_CACHE: '1', AWS_BOOTSTRAP_NO_READ_PLAN: '1', ...extra };
}

/** An environment from isolatedEnv with read plans on, as users have them (src/core/aws/read-plan.ts). */
export function withReadPlans(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { AWS_BOOTSTRAP_NO_READ_PLAN: _off, ...rest } = env;
  return rest;
}

/** Credentials moto accepts: the caller is moto's default user in account 123456789012. */
export const MOTO_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
};

/** A CLI run that the test can signal while it runs (SIGINT, SIGKILL). */
export interface RunningCli {
  pid: number;
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  /** The command that is the CLI; default: node and the built dist/cli.js. */
  bin?: string[];
  timeoutMs?: number;
}

export function startCli(args: readonly string[], options: CliOptions = {}): RunningCli {
  const [command, ...prefix] = options.bin ?? [process.execPath, BUILT_CLI];
  const child = spawn(command!, [...prefix, ...args], {
    env: options.env ?? isolatedEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 45_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { pid: child.pid!, done };
}

/** Runs a CLI binary (the built one by default) as a user would, and collects everything it printed. */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const { code, stdout, stderr } = await startCli(args, options).done;
  return { code, stdout, stderr };
}
