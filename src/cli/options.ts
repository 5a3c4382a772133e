import { Option, type Command } from 'commander';
import { validateEndpointUrl, validateProfile, validateRegion } from '../core/aws/aws-options.js';
import { PERMISSION_COMMANDS } from '../core/permissions.js';

/**
 * Every command-line option, declared once: commander's flags, help text and the README's option list
 * come from here.
 */
export interface CliOption {
  flags: string;
  description: string;
  parse?: (value: string) => unknown;
  choices?: readonly string[];
  /** The command cannot run without it. */
  required?: boolean;
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
  { flags: '--debug', description: 'show AWS calls (requests and responses, secrets redacted), credential source and stack traces on stderr' },
] as const satisfies readonly CliOption[];

export const OUTPUT_FORMATS = ['table', 'json', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const OUTPUT_OPTIONS = [
  { flags: '--json', description: 'print JSON on stdout (same as --format json)' },
  { flags: '--format <format>', description: 'output format', choices: OUTPUT_FORMATS },
] as const satisfies readonly CliOption[];

const CONFIG_OPTION = {
  flags: '--config <file>',
  description: 'a YAML or JSON file describing the account (see `aws-bootstrap schema`)',
} as const satisfies CliOption;

const STEP_SELECTION_OPTIONS = [
  { flags: '--only <ids>', description: 'run only these steps (comma-separated step ids)' },
  { flags: '--skip <ids>', description: 'run every step but these (comma-separated step ids)' },
] as const satisfies readonly CliOption[];

const INIT_JSON_OPTION = {
  flags: '--json',
  description: 'print the result as JSON on stdout (questions stay on stderr)',
} as const satisfies CliOption;

export const PLAN_OPTIONS = [
  { ...CONFIG_OPTION, required: true },
  ...STEP_SELECTION_OPTIONS,
  INIT_JSON_OPTION,
] as const satisfies readonly CliOption[];

export const CHECK_OPTIONS = [
  ...OUTPUT_OPTIONS,
  { ...CONFIG_OPTION, description: 'check the resources and values named in this file instead of "any"' },
] as const satisfies readonly CliOption[];

export const INIT_OPTIONS = [
  { flags: '-y, --yes', description: 'accept every confirmation (the default answer in the wizard; apply the file with --config)' },
  CONFIG_OPTION,
  { flags: '--dry-run', description: 'with --config: show what would change and change nothing (same as `plan`)' },
  ...STEP_SELECTION_OPTIONS,
  INIT_JSON_OPTION,
] as const satisfies readonly CliOption[];

export const PERMISSIONS_OPTIONS = [
  { flags: '--for <command>', description: 'the command to print the policy for', choices: PERMISSION_COMMANDS, required: true },
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
    if (spec.required) option.makeOptionMandatory();
    command.addOption(option);
  }
  return command;
}
