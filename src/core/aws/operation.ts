/** The operation a middleware is handling, e.g. `CreateUser` (from the SDK's `commandName`, `CreateUserCommand`). */
export function operationOf(context: { commandName?: string }): string {
  return String(context.commandName ?? 'call').replace(/Command$/, '');
}

/**
 * Get*, List*, Describe*: the operations that only read. Everything else counts as a write, for the dry-run
 * guard, the read cache and the list of writes in flight.
 */
export function isReadOperation(operation: string): boolean {
  return /^(Get|List|Describe)/.test(operation);
}
