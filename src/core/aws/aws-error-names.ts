/** True when an SDK error (possibly wrapped by namedCall) is the named AWS error, e.g. `EntityAlreadyExists`. */
export function isAwsErrorNamed(error: unknown, ...names: string[]): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 3 && typeof e === 'object' && e !== null; depth += 1) {
    const name = (e as { name?: string }).name ?? '';
    // SDK v3 names IAM's `EntityAlreadyExists` `EntityAlreadyExistsException`: accept both spellings.
    if (names.some((n) => name === n || name === `${n}Exception`)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Runs a read; the named AWS error (the thing does not exist) becomes `undefined`, anything else stays an error. */
async function absentIf<T>(name: string, call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isAwsErrorNamed(error, name)) return undefined;
    throw error;
  }
}

/** IAM answers NoSuchEntity for a user, group, policy or login profile that does not exist. */
export const absentIfNoSuchEntity = <T>(call: Promise<T>): Promise<T | undefined> => absentIf('NoSuchEntity', call);

/** Budgets answers NotFoundException for a missing budget, notification or subscriber. */
export const absentIfNotFound = <T>(call: Promise<T>): Promise<T | undefined> => absentIf('NotFound', call);
