import { BootstrapError } from '../core/errors.js';
import type { OutputFormat, OutputOptionValues } from './options.js';

/** `--json` is shorthand for `--format json`; asking for two different formats is a usage error. */
export function resolveOutputFormat(values: OutputOptionValues): OutputFormat {
  if (values.json && values.format && values.format !== 'json') {
    throw new BootstrapError('USAGE', `--json and --format ${values.format} ask for two formats: use one.`);
  }
  return values.json ? 'json' : (values.format ?? 'table');
}
