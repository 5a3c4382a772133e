import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

/**
 * aws-bootstrap's directory in the user's own cache directory, never a shared temp directory; undefined when no
 * absolute home or cache directory is known.
 */
export function cacheBaseDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string | undefined {
  const { isAbsolute, join } = platform === 'win32' ? win32 : posix;
  // A relative home would put the cache under the working directory, where a checked-out repository could
  // bring its own "cache".
  if (home && !isAbsolute(home)) home = '';
  const base =
    platform === 'win32'
      ? env.LOCALAPPDATA
      : platform === 'darwin'
        ? home && join(home, 'Library', 'Caches')
        : env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)
          ? env.XDG_CACHE_HOME
          : home && join(home, '.cache');
  return base && isAbsolute(base) ? join(base, 'aws-bootstrap') : undefined;
}

/**
 * Where the launcher keeps V8's compiled code of the CLI. Undefined (no cache) when NODE_DISABLE_COMPILE_CACHE is
 * set to anything (Node's own switch for its compile cache) or there is no cache directory.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const base = cacheBaseDir(env, platform, home);
  return base && (platform === 'win32' ? win32 : posix).join(base, 'code-cache');
}

/**
 * Where a run keeps the reads it made, for the next run with the same credentials to send at once
 * (src/core/aws/read-plan.ts). Undefined (no read plans) when AWS_BOOTSTRAP_NO_READ_PLAN is set to anything or
 * there is no cache directory.
 */
export function readPlanDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string | undefined {
  if (env.AWS_BOOTSTRAP_NO_READ_PLAN) return undefined;
  const base = cacheBaseDir(env, platform, home);
  return base && (platform === 'win32' ? win32 : posix).join(base, 'read-plans');
}

/** The home directory, or '' when there is none (no HOME and no passwd entry, as in some containers). */
export function homeDirectory(): string {
  try {
    return homedir();
  } catch {
    return '';
  }
}

/** This user's read-plan directory, or undefined: no home, or AWS_BOOTSTRAP_NO_READ_PLAN. */
export function userReadPlanDir(): string | undefined {
  return readPlanDir(process.env, process.platform, homeDirectory());
}
