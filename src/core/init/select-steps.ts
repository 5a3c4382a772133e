import { BootstrapError } from '../errors.js';
import { STEPS, STEP_IDS, isStepId, type Step } from '../steps/index.js';

function parseIds(flag: string, value: string | undefined): Set<string> | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = ids.filter((id) => !isStepId(id));
  if (ids.length === 0 || unknown.length > 0) {
    throw new BootstrapError(
      'USAGE',
      `${flag}: ${ids.length === 0 ? 'no step ids given' : `unknown step id ${unknown.map((u) => `"${u}"`).join(', ')}`}. ` +
        `Valid ids: ${STEP_IDS.join(', ')}.`,
    );
  }
  return new Set(ids);
}

/** `--only` / `--skip` (comma-separated step ids), validated before anything else happens. */
export function selectSteps(only: string | undefined, skip: string | undefined): { step: Step; selected: boolean }[] {
  if (only !== undefined && skip !== undefined) {
    throw new BootstrapError('USAGE', '--only and --skip cannot be used together: pick the steps one way.');
  }
  const onlyIds = parseIds('--only', only);
  const skipIds = parseIds('--skip', skip);
  return STEPS.map((step) => ({
    step,
    selected: (onlyIds === undefined || onlyIds.has(step.id)) && !(skipIds?.has(step.id) ?? false),
  }));
}
