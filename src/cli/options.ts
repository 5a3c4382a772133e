import { Option, type Command } from 'commander';
import { validateEndpointUrl, validateProfile, validateRegion } from '../core/aws/aws-options.js';

/**
 * Every command-line option, declared once: commander's flags, help text and the README's option list
 * come from here.
 */
export interface CliOption {
  flags: string;
  description: string;
  parse?: (value: string) => unknown;
  choices?: readonly string[];
}

export const GLOBAL_OPTIONS = [
  {
    flags: '--profile <name>',
    description: 'AWS profile from ~/.aws/config or ~/.aws/credentials (default: the standard credential chain)',
    parse: validateProfile,
  },
  {
    flags: '--region <region>',
    description: 'AWS region (default: AWS_REGION, the profile, else us-east-1; IAM and Budgets are global)',
    parse: validateRegion,
  },
  {
    flags: '--endpoint-url <url>',
    description: 'send every AWS call to this endpoint, e.g. a local moto server (also AWS_ENDPOINT_URL)',
    parse: validateEndpointUrl,
  },
  { flags: '--no-color', description: 'plain output without colour (also NO_COLOR)' },
  { flags: '--debug', description: 'show AWS calls, credential source and stack traces on stderr (never secrets)' },
] as const satisfies readonly CliOption[];

export const OUTPUT_FORMATS = ['table', 'json', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const OUTPUT_OPTIONS = [
  { flags: '--json', description: 'print JSON on stdout (same as --format json)' },
  { flags: '--format <format>', description: 'output format', choices: OUTPUT_FORMATS },
] as const satisfies readonly CliOption[];

export const INIT_OPTIONS = [
  { flags: '-y, --yes', description: 'accept the default answer of every confirmation' },
  { flags: '--only <ids>', description: 'run only these steps (comma-separated step ids)' },
  { flags: '--skip <ids>', description: 'run every step but these (comma-separated step ids)' },
  { flags: '--json', description: 'print the result as JSON on stdout (questions stay on stderr)' },
] as const satisfies readonly CliOption[];

/** The parsed values of GLOBAL_OPTIONS (commander camel-cases the flags). */
export interface GlobalOptionValues {
  profile?: string;
  region?: string;
  endpointUrl?: string;
  color: boolean;
  debug?: boolean;
}

export interface OutputOptionValues {
  json?: boolean;
  format?: OutputFormat;
}

export function addOptions(command: Command, options: readonly CliOption[]): Command {
  for (const spec of options) {
    const option = new Option(spec.flags, spec.description);
    if (spec.choices) option.choices(spec.choices);
    if (spec.parse) option.argParser(spec.parse);
    command.addOption(option);
  }
  return command;
}
