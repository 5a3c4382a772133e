import { existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * The password file of `adminUser.passwordFile`, written so that no crash can lose a password AWS has set:
 *
 * 1. before CreateLoginProfile, the generated password goes to `<file>.pending` (0600; created whole or not
 *    at all: written to a private temporary file, then hard-linked into place, which fails if it exists);
 * 2. once AWS has set it, `<file>.pending` becomes `<file>` (hard link, never over an existing file);
 * 3. if AWS refused it, `<file>.pending` is removed.
 *
 * A run that dies between 1 and 2 leaves `<file>.pending`: the next run uses that password (if the user still
 * has no console password) or completes step 2 (if AWS had set it). Two runs at once share one pending
 * password: whoever links it first wins, the other reads it.
 */
export function pendingPasswordFile(file: string): string {
  return `${file}.pending`;
}

function readPassword(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isExisting(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'EEXIST';
}

/** Removes `path`; one already gone (a concurrent run removed it) is no error. */
function remove(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Writes `value` to `path` whole, or not at all if `path` exists. Returns false when it existed. */
function createWhole(path: string, value: string): boolean {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, `${value}\n`, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if (isExisting(error)) return false;
    throw error;
  } finally {
    remove(temporary);
  }
}

export interface StagedPassword {
  value: string;
  /** True when the password came from `<file>.pending`, left by an earlier (or a concurrent) run. */
  kept: boolean;
}

/**
 * Step 1: the password to set. A pending password that `validate` accepts is used as it is; one it refuses
 * (the account's policy changed since) is replaced by `generate()`.
 */
export function stagePassword(file: string, generate: () => string, validate: (value: string) => string | true): StagedPassword {
  const pending = pendingPasswordFile(file);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const kept = readPassword(pending);
    if (kept !== undefined) {
      if (validate(kept) === true) return { value: kept, kept: true };
      remove(pending);
    }
    const value = generate();
    if (createWhole(pending, value)) return { value, kept: false };
    // Another run linked its pending password first: take that one.
  }
  throw new Error(`Could not create ${pending}: it keeps changing (several aws-bootstrap runs at once?).`);
}

/**
 * Step 2: AWS has set the pending password. Returns the file it is in now: `<file>`, or `<file>.pending` when
 * `<file>` holds another password already (it is never overwritten).
 */
export function commitPassword(file: string): string {
  const pending = pendingPasswordFile(file);
  const value = readPassword(pending);
  if (value === undefined) return file; // committed already (by a concurrent run)
  try {
    linkSync(pending, file);
  } catch (error) {
    if (!isExisting(error)) throw error;
    if (readPassword(file) !== value) return pending;
  }
  remove(pending);
  return file;
}

/** Step 3: AWS refused the pending password; nothing was set. */
export function discardPassword(file: string, value: string): void {
  const pending = pendingPasswordFile(file);
  if (readPassword(pending) === value) remove(pending);
}

export function hasPendingPassword(file: string): boolean {
  return existsSync(pendingPasswordFile(file));
}
