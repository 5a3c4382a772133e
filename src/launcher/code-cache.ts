import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { readPrivateFile, writePrivateFile } from './private-file.js';

/**
 * Loads a CommonJS bundle through `vm.Script` with V8's code cache, the way v8-compile-cache does for Node
 * versions without a compile cache of their own (Node 20): the first complete run saves the compiled code, later
 * runs skip parsing and compiling it. A cache is only read from a directory and a file that belong to this user
 * and that nobody else can write, since whatever is in it runs as code.
 */

/** hit: compiled code came from the cache; miss: none yet; rejected: V8 refused it (other V8 or flags); off: no cache. */
export type CacheStatus = 'hit' | 'miss' | 'rejected' | 'off';

export interface CodeCacheOptions {
  /** The directory of cache files; undefined: no cache (compile from source, save nothing). */
  dir: string | undefined;
  /** Names the cache file: the bundle's content hash, what the run does, and the Node version. */
  key: string;
}

export interface LoadedBundle<T> {
  exports: T;
  status: CacheStatus;
  /** The cache file read or to be written; undefined when the cache is off. */
  file: string | undefined;
  /** Writes the compiled code to the cache when there was none or V8 refused it. True when a file was written. */
  save(): boolean;
}

export function loadBundle<T>(path: string, cache: CodeCacheOptions): LoadedBundle<T> {
  // The bundle is read as bytes: a pure-ASCII one (what esbuild writes) becomes a one-byte string without decoding.
  const fd = openSync(path, constants.O_RDONLY);
  let bytes: Buffer;
  let stamp: string;
  try {
    const stats = fstatSync(fd);
    bytes = readFileSync(fd);
    // V8 checks cached code against the source's length only: an edited bundle (a local patch) must not meet
    // the code compiled from the original, so its size and modification time are part of the file name.
    stamp = `${stats.size}-${Math.trunc(stats.mtimeMs)}`;
  } finally {
    closeSync(fd);
  }
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const file = cache.dir === undefined ? undefined : join(cache.dir, `${safeName(`${cache.key}-${stamp}`)}.v8cache`);
  const cachedData = file === undefined ? undefined : readPrivateFile(file);
  const script = new Script(nodeModule.wrap(source), { filename: path, cachedData });
  const status: CacheStatus = file === undefined ? 'off' : cachedData === undefined ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';

  const module = { exports: {} as T };
  const wrapper = script.runInThisContext() as (exports: T, require: NodeJS.Require, module: { exports: T }, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, nodeModule.createRequire(path), module, path, dirname(path));

  let saved = false;
  return {
    exports: module.exports,
    status,
    file,
    save() {
      if (file === undefined || status === 'hit' || saved) return false;
      saved = writePrivateFile(file, script.createCachedData());
      return saved;
    },
  };
}

/** Removes the cache files in `dir` whose names do not start with `keep` (other builds of the bundle). */
export function pruneCache(dir: string, keep: string): void {
  try {
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.v8cache') && !name.startsWith(safeName(keep))) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // nothing to prune
  }
}

function safeName(key: string): string {
  return key.replace(/[^A-Za-z0-9._-]/g, '_');
}
