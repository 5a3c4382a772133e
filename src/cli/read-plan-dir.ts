import { homedir } from 'node:os';
import { readPlanDir } from '../launcher/cache-dir.js';

/** This user's read-plan directory (src/core/aws/read-plan.ts), or undefined: no home, or AWS_BOOTSTRAP_NO_READ_PLAN. */
export function userReadPlanDir(): string | undefined {
  let home = '';
  try {
    home = homedir();
  } catch {
    // no HOME and no passwd entry, as in some containers: no plans
  }
  return readPlanDir(process.env, process.platform, home);
}
