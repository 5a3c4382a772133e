import * as z from 'zod';
import { validateAlias } from '../steps/account-alias.init.js';
import { DEFAULT_ADMIN_GROUP, validateGroupName } from '../steps/admin-group.init.js';
import { validateUserName } from '../steps/admin-user.init.js';
import {
  DEFAULT_BUDGET_NAME,
  DEFAULT_THRESHOLD,
  MAX_EMAIL_SUBSCRIBERS,
  validateAmount,
  validateBudgetName,
  validateEmails,
  validateThreshold,
} from '../steps/budget.init.js';
import type { BootstrapConfig } from './config-types.js';

// zod compiles a fast path for each object schema with `new Function` the first time it parses: code V8's code
// cache cannot keep, compiled again on every run to parse one small file. Without it zod walks the schema.
z.config({ jitless: true });

/**
 * The config file, defined once: this schema validates a file (load-config.ts) and is also printed as JSON
 * Schema by `aws-bootstrap schema` (config-json-schema.ts), so editors check the file by the same rules.
 * The rules themselves are the wizard's validators, so a file and the wizard accept the same values.
 *
 * Every message completes `path: ...` (e.g. `budget.amount: must be a number greater than 0`) and never
 * repeats a password.
 */

export const PASSWORD_MESSAGE = 'must be generate, prompt or env:NAME — never the password itself';
export const AMOUNT_MESSAGE = 'must be a number greater than 0';
export const THRESHOLD_MESSAGE = 'must be a number from 1 to 1000';
/** `env:NAME`: NAME is an environment variable name (letters, digits and _, not starting with a digit). */
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const ENV_PASSWORD_PATTERN = new RegExp(`^env:${ENV_NAME_PATTERN.source.slice(1)}`);

/** A validator's sentence (`An alias has 3 to 63 characters.`) as the end of `path: message`. */
function asProblem(sentence: string): string {
  const text = sentence.trim().replace(/\.$/, '');
  return /^[A-Z](?![A-Z])/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/** Adds the verdict of a wizard validator (`string | true`) as an issue. */
function rule<T>(validate: (value: T) => string | true, message?: (verdict: string) => string) {
  return (ctx: z.core.ParsePayload<T>) => {
    const verdict = validate(ctx.value);
    if (verdict !== true) ctx.issues.push({ code: 'custom', message: message ? message(verdict) : asProblem(verdict), input: ctx.value });
  };
}

/** The message for a value of the wrong type, or `is required` when the key is missing. */
function typeError(message: string, required?: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? (required ?? 'is required') : message);
}

const text = (message: string, required?: string) => z.string({ error: typeError(message, required) });

/** A section: a mapping of keys. An empty `section:` in YAML is null: say how to ask for the defaults. */
function section<Shape extends z.ZodRawShape>(name: string, shape: Shape, description: string) {
  return z
    .strictObject(shape, {
      error: (issue) =>
        issue.input === null
          ? `is empty: write "${name}: {}" to use the defaults, or remove it to skip the step`
          : 'must be a mapping of keys',
    })
    .optional()
    .describe(description);
}

// JSON Schema hints for editors. The messages come from the wizard's validators (the checks below); these
// patterns say the same for an editor and are tested against those validators.
const ALIAS_JSON = { minLength: 3, maxLength: 63, pattern: '^(?!\\d{12}$)[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$' };
const IAM_NAME_PATTERN = '^[\\w+=,.@-]+$';
const BUDGET_NAME_JSON = { minLength: 1, maxLength: 100, pattern: '^(?!.*/action/)[^:\\\\]+$' };

const accountAlias = text('must be text, e.g. acme-sandbox')
  .check(rule(validateAlias))
  .optional()
  .meta({
    description:
      'The account alias: IAM users sign in at https://ALIAS.signin.aws.amazon.com/console. 3 to 63 lowercase ' +
      'letters, digits and hyphens (not at either end, never two in a row), unique across AWS. Absent: the step is skipped.',
    examples: ['acme-sandbox'],
    ...ALIAS_JSON,
  });

export const AdminGroupSchema = section(
  'adminGroup',
  {
    name: text('must be text, e.g. Administrators')
      .check(rule(validateGroupName))
      .default(DEFAULT_ADMIN_GROUP)
      .meta({
        description: `Name of the IAM group that holds AdministratorAccess and the MFA guard policy (default ${DEFAULT_ADMIN_GROUP}).`,
        minLength: 1,
        maxLength: 128,
        pattern: IAM_NAME_PATTERN,
      }),
  },
  'The admin group: AdministratorAccess plus a guard policy that denies everything but MFA set-up until the ' +
    'member signs in with MFA. Absent: the step is skipped.',
);

const PASSWORD_MODES = ['generate', 'prompt'] as const;

export const AdminUserSchema = section(
  'adminUser',
  {
    name: text('must be text, e.g. alice', 'is required: the IAM user name, e.g. alice')
      .check(rule(validateUserName))
      .meta({
        description: 'Name of the IAM user for day-to-day admin work (a member of the admin group).',
        examples: ['alice'],
        minLength: 1,
        maxLength: 64,
        pattern: IAM_NAME_PATTERN,
      }),
    password: z
      .union([z.literal(PASSWORD_MODES[0]), z.literal(PASSWORD_MODES[1]), z.templateLiteral(['env:', z.string().regex(ENV_NAME_PATTERN)])], {
        error: (issue) => (issue.input === undefined ? `is required: ${PASSWORD_MESSAGE.replace('must be ', '')}` : PASSWORD_MESSAGE),
      })
      .meta({
        description:
          'Where the console password comes from: "generate" (a strong random one, shown once at a terminal or ' +
          'written to passwordFile), "prompt" (typed at a terminal) or "env:NAME" (read from the environment ' +
          'variable NAME). Never the password itself.',
        examples: ['generate', 'prompt', 'env:ADMIN_PASSWORD'],
      }),
    passwordResetRequired: z
      .boolean({ error: 'must be true or false' })
      .default(true)
      .describe('Make the user choose a new password at first sign-in (default true).'),
    passwordFile: text('must be a file path')
      .check(rule((v: string) => (v.trim() === '' ? 'must be a file path' : true), (m) => m))
      .optional()
      .describe(
        'With password: generate and no terminal attached, the generated password is written only to this file, ' +
          'created with mode 0600; aws-bootstrap never overwrites an existing file.',
      ),
    mfa: z
      .enum(['prompt', 'defer'], { error: 'must be prompt or defer' })
      .default('defer')
      .describe(
        'MFA for the user: "prompt" (a QR code and two codes at a terminal, now) or "defer" (the MFA guard makes ' +
          'the user enrol at first sign-in). Default defer.',
      ),
  },
  'The admin IAM user, a member of the admin group, with a console password. Absent: the step is skipped.',
);

export const BudgetSchema = section(
  'budget',
  {
    name: text('must be text, e.g. monthly-cost-budget')
      .check(rule(validateBudgetName))
      .default(DEFAULT_BUDGET_NAME)
      .meta({ description: `Name of the monthly cost budget (default ${DEFAULT_BUDGET_NAME}).`, ...BUDGET_NAME_JSON }),
    amount: z
      .number({ error: typeError(AMOUNT_MESSAGE, `is required: USD a month, ${AMOUNT_MESSAGE.replace('must be ', '')}`) })
      .gt(0, { error: AMOUNT_MESSAGE, abort: true })
      .check(rule((n: number) => validateAmount(String(n)), () => 'must have at most 2 decimals (cents), e.g. 12.5'))
      .meta({ description: 'The monthly budget in USD, greater than 0 (at most 2 decimals).', examples: [25] }),
    alertThresholdPercent: z
      .number({ error: THRESHOLD_MESSAGE })
      .min(1, { error: THRESHOLD_MESSAGE, abort: true })
      .max(1000, { error: THRESHOLD_MESSAGE, abort: true })
      .check(rule((n: number) => validateThreshold(String(n)), () => 'must have at most 2 decimals'))
      .default(DEFAULT_THRESHOLD)
      .describe(
        `An email goes out when the month's actual costs pass this percentage of the amount: 1 to 1000 (default ${DEFAULT_THRESHOLD}).`,
      ),
    emails: z
      .array(
        text('must be an email address').check((ctx) => {
          if (ctx.value.includes(',') || validateEmails(ctx.value) !== true) {
            ctx.issues.push({ code: 'custom', message: `"${ctx.value}" is not an email address`, input: ctx.value });
          }
        }),
        {
          error: typeError(
            `must be a list of 1 to ${MAX_EMAIL_SUBSCRIBERS} email addresses, e.g. [ops@example.com]`,
            `is required: 1 to ${MAX_EMAIL_SUBSCRIBERS} email addresses`,
          ),
        },
      )
      // Runs even when an entry is malformed, so the count and the duplicates are reported with it.
      .superRefine(
        (emails, ctx) => {
          const count = emails.length;
          if (count < 1 || count > MAX_EMAIL_SUBSCRIBERS) {
            ctx.addIssue({
              code: 'custom',
              message: `must list 1 to ${MAX_EMAIL_SUBSCRIBERS} email addresses (AWS Budgets alerts at most ${MAX_EMAIL_SUBSCRIBERS}); this lists ${count}`,
            });
          }
          const seen = new Set<string>();
          emails.forEach((email, index) => {
            if (typeof email !== 'string') return;
            const key = email.trim().toLowerCase();
            if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `"${email}" is listed twice`, path: [index] });
            seen.add(key);
          });
        },
        { when: (payload) => Array.isArray(payload.value) },
      )
      .meta({
        description: `Who gets the alert email: 1 to ${MAX_EMAIL_SUBSCRIBERS} addresses.`,
        examples: [['ops@example.com']],
        minItems: 1,
        maxItems: MAX_EMAIL_SUBSCRIBERS,
      }),
  },
  'A MONTHLY COST budget in USD with an email alert on actual costs. Absent: the step is skipped.',
);

export const ConfigSchema = z
  .strictObject(
    {
      $schema: text('must be text: the path or URL of the JSON Schema')
        .optional()
        .describe('The JSON Schema of this file (`aws-bootstrap schema`), for editors. Ignored by aws-bootstrap.'),
      accountAlias,
      adminGroup: AdminGroupSchema,
      adminUser: AdminUserSchema,
      rootAccessKeys: z
        .enum(['delete', 'report'], { error: 'must be delete or report' })
        .optional()
        .describe(
          'Access keys of the root user: "delete" them (asks first unless --yes; only the root user can) or ' +
            '"report" them. Absent: the step is skipped.',
        ),
      budget: BudgetSchema,
    },
    { error: 'the file must hold a mapping of keys (YAML) or an object (JSON)' },
  )
  .meta({
    title: 'aws-bootstrap config',
    description:
      'What `aws-bootstrap init --config FILE` sets up in an AWS account. Sections that are absent are skipped.',
  });

export type ConfigInput = z.input<typeof ConfigSchema>;
export type ConfigOutput = z.output<typeof ConfigSchema>;

/** The keys allowed in the mapping at `path` (`[]`: the top level), for "did you mean" on an unknown key. */
export function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = ConfigSchema;
  for (const key of path) {
    const object = unwrap(schema);
    schema = object instanceof z.ZodObject ? (object.shape as Record<string, z.ZodType>)[String(key)] : undefined;
  }
  const object = unwrap(schema);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
  return s;
}

// Compile-time: a validated file is a BootstrapConfig, and every key of BootstrapConfig is in the schema.
type Assert<T extends true> = T;
export type ConfigSchemaMatchesTypes = [
  Assert<ConfigOutput extends BootstrapConfig ? true : false>,
  Assert<Exclude<keyof BootstrapConfig, keyof ConfigOutput> extends never ? true : false>,
  Assert<Exclude<keyof NonNullable<BootstrapConfig['adminUser']>, keyof NonNullable<ConfigOutput['adminUser']>> extends never ? true : false>,
  Assert<Exclude<keyof NonNullable<BootstrapConfig['budget']>, keyof NonNullable<ConfigOutput['budget']>> extends never ? true : false>,
];
