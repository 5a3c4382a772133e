import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, type Stats, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Files under the user's cache directory that the CLI trusts (compiled code it runs, the reads a run plans):
// read only from a directory and a file that belong to this user and that nobody else can write.

/**
 * Whether nobody but this user could have written the file or directory. POSIX only: on Windows the mode bits
 * say nothing, and the cache relies on %LOCALAPPDATA% being the user's own (its default ACL).
 */
function isPrivate(stats: Stats): boolean {
  if (typeof process.getuid !== 'function') return true;
  return stats.uid === process.getuid() && (stats.mode & 0o022) === 0;
}

/** A directory itself (not a link to one) that only this user can write. */
function isPrivateDir(dir: string): boolean {
  const stats = lstatSync(dir);
  return stats.isDirectory() && isPrivate(stats);
}

/** The file's bytes, or undefined when it is missing, not private, not a plain file, or larger than maxBytes. */
export function readPrivateFile(file: string, maxBytes = Infinity): Buffer | undefined {
  let fd: number | undefined;
  try {
    if (!isPrivateDir(dirname(file))) return undefined;
    // O_NONBLOCK: a FIFO in its place must not hang the run (it is then refused as not a file).
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const stats = fstatSync(fd);
    if (!stats.isFile() || !isPrivate(stats) || stats.size > maxBytes) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes the whole file or nothing: a 0600 temporary file in the same directory, then a rename. */
export function writePrivateFile(file: string, data: Buffer): boolean {
  const dir = dirname(file);
  const temp = join(dir, `.${process.pid}-${Date.now()}.tmp`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!isPrivateDir(dir)) return false;
    writeFileSync(temp, data, { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
    return true;
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // the directory is not ours to clean
    }
    return false;
  }
}
