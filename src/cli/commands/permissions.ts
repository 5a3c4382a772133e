import { ExitCode } from '../../core/exit-codes.js';
import { policyFor, type PermissionCommand } from '../../core/permissions.js';

/**
 * `aws-bootstrap permissions --for check|init`: the minimal IAM policy the command needs, as JSON on stdout,
 * e.g. `aws-bootstrap permissions --for check > check-policy.json`.
 */
export async function permissionsCommand(options: { for: PermissionCommand }): Promise<number> {
  process.stdout.write(`${JSON.stringify(policyFor(options.for), null, 2)}\n`);
  return ExitCode.Ok;
}
