import { posix, win32 } from 'node:path';

/**
 * Where the launcher keeps V8's compiled code of the CLI: the user's own cache directory, never a shared temp
 * directory. Undefined (no cache) when NODE_DISABLE_COMPILE_CACHE is set to anything (Node's own switch for its
 * compile cache) or no absolute home or cache directory is known.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
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
  return base && isAbsolute(base) ? join(base, 'aws-bootstrap', 'code-cache') : undefined;
}
