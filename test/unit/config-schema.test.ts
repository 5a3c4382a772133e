import { describe, expect, it } from 'vitest';
import {
  AMOUNT_MESSAGE,
  ConfigSchema,
  knownKeysAt,
  PASSWORD_MESSAGE,
  THRESHOLD_MESSAGE,
} from '../../src/core/config/config-schema.js';
import { configJsonSchema } from '../../src/core/config/config-json-schema.js';
import type { BootstrapConfig } from '../../src/core/config/config-types.js';
import { didYouMean, editDistance } from '../../src/core/config/did-you-mean.js';
import { formatPath } from '../../src/core/config/load-config.js';
import { validateAlias } from '../../src/core/steps/account-alias.init.js';
import { validateGroupName } from '../../src/core/steps/admin-group.init.js';
import { validateUserName } from '../../src/core/steps/admin-user.init.js';
import { validateBudgetName } from '../../src/core/steps/budget.init.js';

/** The issue's example, as parsed from YAML. */
const EXAMPLE = {
  accountAlias: 'acme-sandbox',
  adminGroup: { name: 'Administrators' },
  adminUser: { name: 'alice', password: 'generate', passwordResetRequired: true, mfa: 'defer' },
  rootAccessKeys: 'report',
  budget: { name: 'monthly-cost-budget', amount: 25, alertThresholdPercent: 80, emails: ['ops@example.com'] },
};

/** `path: message` for every issue of `value` (unknown keys as zod reports them). */
function problems(value: unknown): string[] {
  const result = ConfigSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
}

const withBudget = (budget: Record<string, unknown>) => ({ budget: { amount: 25, emails: ['ops@example.com'], ...budget } });
const withUser = (user: Record<string, unknown>) => ({ adminUser: { name: 'alice', password: 'generate', ...user } });

describe('the config schema', () => {
  it('accepts the example of the issue and gives exactly a BootstrapConfig', () => {
    const config: BootstrapConfig = ConfigSchema.parse(EXAMPLE);
    expect(config).toEqual(EXAMPLE);
  });

  it('fills in the defaults and keeps absent sections absent', () => {
    expect(ConfigSchema.parse({ adminGroup: {}, adminUser: { name: 'alice', password: 'prompt' }, budget: { amount: 5, emails: ['a@b.co'] } })).toEqual({
      adminGroup: { name: 'Administrators' },
      adminUser: { name: 'alice', password: 'prompt', passwordResetRequired: true, mfa: 'defer' },
      budget: { name: 'monthly-cost-budget', amount: 5, alertThresholdPercent: 80, emails: ['a@b.co'] },
    });
    expect(ConfigSchema.parse({})).toEqual({});
    expect(ConfigSchema.parse({ $schema: './aws-bootstrap.schema.json' })).toEqual({ $schema: './aws-bootstrap.schema.json' });
  });

  it.each([
    ['ab', 'accountAlias: an alias has 3 to 63 characters'],
    ['a'.repeat(64), 'accountAlias: an alias has 3 to 63 characters'],
    ['Acme', 'accountAlias: use only lowercase letters, digits and hyphens'],
    ['acme_sandbox', 'accountAlias: use only lowercase letters, digits and hyphens'],
    ['-acme', 'accountAlias: an alias cannot start or end with a hyphen'],
    ['acme-', 'accountAlias: an alias cannot start or end with a hyphen'],
    ['acme--x', 'accountAlias: an alias cannot contain two hyphens in a row'],
    ['123456789012', 'accountAlias: an alias cannot be a 12-digit number (it would look like an account id)'],
    [42, 'accountAlias: must be text, e.g. acme-sandbox'],
  ])('says which alias rule %j breaks', (alias, message) => {
    expect(problems({ accountAlias: alias })).toEqual([message]);
  });

  it('rejects a password written into the file without repeating it', () => {
    for (const password of ['hunter2-Secret!', 'Generate', 'env:', 'env:1ABC', 'env:MY VAR', 12345678, true]) {
      const result = ConfigSchema.safeParse(withUser({ password }));
      expect(result.success).toBe(false);
      expect(problems(withUser({ password }))).toEqual([`adminUser.password: ${PASSWORD_MESSAGE}`]);
    }
    for (const secret of ['hunter2-Secret!', 87654321]) {
      const error = ConfigSchema.safeParse(withUser({ password: secret })).error;
      expect(JSON.stringify(error)).not.toContain(String(secret));
      expect(String(error)).not.toContain(String(secret));
    }
    expect(PASSWORD_MESSAGE).toBe('must be generate, prompt or env:NAME — never the password itself');
    expect(problems(withUser({ password: 'env:ADMIN_PASSWORD' }))).toEqual([]);
    expect(problems({ adminUser: { name: 'alice' } })).toEqual([
      'adminUser.password: is required: generate, prompt or env:NAME — never the password itself',
    ]);
  });

  it('checks the user: name rules, mfa and passwordResetRequired', () => {
    expect(problems({ adminUser: { password: 'prompt' } })).toEqual(['adminUser.name: is required: the IAM user name, e.g. alice']);
    expect(problems(withUser({ name: 'alice smith' }))).toEqual(['adminUser.name: use only letters, digits and + = , . @ _ -']);
    expect(problems(withUser({ name: 'a'.repeat(65) }))).toEqual(['adminUser.name: a user name has at most 64 characters']);
    expect(problems(withUser({ mfa: 'later' }))).toEqual(['adminUser.mfa: must be prompt or defer']);
    expect(problems(withUser({ passwordResetRequired: 'yes' }))).toEqual(['adminUser.passwordResetRequired: must be true or false']);
    expect(problems(withUser({ passwordFile: '' }))).toEqual(['adminUser.passwordFile: must be a file path']);
    expect(problems({ adminGroup: { name: 'Admins!' } })).toEqual(['adminGroup.name: use only letters, digits and + = , . @ _ -']);
    expect(problems({ rootAccessKeys: 'keep' })).toEqual(['rootAccessKeys: must be delete or report']);
  });

  it('says how to write an empty section, and that a section is a mapping', () => {
    expect(problems({ adminGroup: null })).toEqual([
      'adminGroup: is empty: write "adminGroup: {}" to use the defaults, or remove it to skip the step',
    ]);
    expect(problems({ budget: [25] })).toEqual(['budget: must be a mapping of keys']);
    expect(problems(['accountAlias'])).toEqual([': the file must hold a mapping of keys (YAML) or an object (JSON)']);
  });

  it.each([0, -5, '25', 'abc', null, Number.NaN, Number.POSITIVE_INFINITY])('budget.amount %j: %s', (amount) => {
    expect(problems(withBudget({ amount }))).toEqual([`budget.amount: ${AMOUNT_MESSAGE}`]);
  });

  it('takes amounts in cents, as the wizard does', () => {
    expect(AMOUNT_MESSAGE).toBe('must be a number greater than 0');
    expect(problems(withBudget({ amount: 0.01 }))).toEqual([]);
    expect(problems(withBudget({ amount: 12.5 }))).toEqual([]);
    expect(problems(withBudget({ amount: 1.234 }))).toEqual(['budget.amount: must have at most 2 decimals (cents), e.g. 12.5']);
    expect(problems({ budget: { emails: ['a@b.co'] } })).toEqual(['budget.amount: is required: USD a month, a number greater than 0']);
  });

  it.each([0, 0.5, 1001, -80, '80', null])('budget.alertThresholdPercent %j is outside 1-1000', (alertThresholdPercent) => {
    expect(problems(withBudget({ alertThresholdPercent }))).toEqual([`budget.alertThresholdPercent: ${THRESHOLD_MESSAGE}`]);
  });

  it('takes thresholds from 1 to 1000', () => {
    for (const alertThresholdPercent of [1, 80, 99.5, 1000]) expect(problems(withBudget({ alertThresholdPercent }))).toEqual([]);
  });

  it('says which email is malformed, and counts 1 to 10', () => {
    expect(problems(withBudget({ emails: ['ops@example.com', 'not-an-email', 'a@b.co,c@d.co', 7] }))).toEqual([
      'budget.emails[1]: "not-an-email" is not an email address',
      'budget.emails[2]: "a@b.co,c@d.co" is not an email address',
      'budget.emails[3]: must be an email address',
    ]);
    expect(problems(withBudget({ emails: [] }))).toEqual([
      'budget.emails: must list 1 to 10 email addresses (AWS Budgets alerts at most 10); this lists 0',
    ]);
    const eleven = Array.from({ length: 11 }, (_, i) => `ops${i}@example.com`);
    expect(problems(withBudget({ emails: eleven }))).toEqual([
      'budget.emails: must list 1 to 10 email addresses (AWS Budgets alerts at most 10); this lists 11',
    ]);
    // A malformed entry does not hide the count.
    expect(problems(withBudget({ emails: [...eleven.slice(1), 'bad'] }))).toEqual([
      'budget.emails[10]: "bad" is not an email address',
      'budget.emails: must list 1 to 10 email addresses (AWS Budgets alerts at most 10); this lists 11',
    ]);
    expect(problems(withBudget({ emails: ['ops@example.com', 'OPS@example.com'] }))).toEqual([
      'budget.emails[1]: "OPS@example.com" is listed twice',
    ]);
    expect(problems(withBudget({ emails: 'ops@example.com' }))).toEqual([
      'budget.emails: must be a list of 1 to 10 email addresses, e.g. [ops@example.com]',
    ]);
    expect(problems(withBudget({ name: 'a:b' }))).toEqual(['budget.name: a budget name cannot contain ":" or "\\"']);
  });

  it('reports unknown keys, at every level, in one go', () => {
    const result = ConfigSchema.safeParse({ budgte: {}, budget: { amount: 1, emails: ['a@b.co'], ammount: 2 } });
    expect(result.error?.issues.map((i) => [i.code, i.path, (i as { keys?: string[] }).keys])).toEqual([
      ['unrecognized_keys', ['budget'], ['ammount']],
      ['unrecognized_keys', [], ['budgte']],
    ]);
  });

  it('knows the keys of every mapping', () => {
    expect(knownKeysAt([])).toEqual(['$schema', 'accountAlias', 'adminGroup', 'adminUser', 'rootAccessKeys', 'budget']);
    expect(knownKeysAt(['adminUser'])).toEqual(['name', 'password', 'passwordResetRequired', 'passwordFile', 'mfa']);
    expect(knownKeysAt(['budget'])).toEqual(['name', 'amount', 'alertThresholdPercent', 'emails']);
    expect(knownKeysAt(['accountAlias'])).toEqual([]);
    expect(knownKeysAt(['nope', 'deeper'])).toEqual([]);
  });
});

describe('the JSON Schema patterns say what the validators say', () => {
  const properties = configJsonSchema().properties as Record<string, { pattern?: string; minLength?: number; maxLength?: number; properties?: Record<string, { pattern?: string; minLength?: number; maxLength?: number }> }>;
  const accepts = (p: { pattern?: string; minLength?: number; maxLength?: number } | undefined, value: string) =>
    new RegExp(p!.pattern!, 'u').test(value) && value.length >= (p!.minLength ?? 0) && value.length <= (p!.maxLength ?? Infinity);

  it.each([
    ['accountAlias', validateAlias, () => properties.accountAlias, ['acme-sandbox', 'abc', 'a1-b2-c3', 'a'.repeat(63), '12345678901', '1234567890123', 'ab', 'a'.repeat(64), 'Acme', 'acme_x', '-acme', 'acme-', 'ac--me', '123456789012', 'a-b', 'a.b', 'a-', '']],
    ['adminGroup.name', validateGroupName, () => properties.adminGroup!.properties!.name, ['Administrators', 'a+b=c,d.e@f_g-h', '', 'a b', 'a/b', 'x'.repeat(128), 'x'.repeat(129), 'ü']],
    ['adminUser.name', validateUserName, () => properties.adminUser!.properties!.name, ['alice', 'alice.smith@corp', '', 'a b', 'x'.repeat(64), 'x'.repeat(65), 'ü']],
    ['budget.name', validateBudgetName, () => properties.budget!.properties!.name, ['monthly-cost-budget', 'a b', '', 'a:b', 'a\\b', 'x/action/y', 'x/actions/y', 'x'.repeat(100), 'x'.repeat(101)]],
  ] as const)('%s', (_name, validate, schema, samples) => {
    for (const value of samples) expect([value, accepts(schema(), value)]).toEqual([value, validate(value) === true]);
  });
});

describe('did you mean', () => {
  it.each([
    ['budgte', ['accountAlias', 'adminGroup', 'adminUser', 'rootAccessKeys', 'budget'], 'budget'],
    ['ammount', ['name', 'amount', 'alertThresholdPercent', 'emails'], 'amount'],
    ['email', ['name', 'amount', 'alertThresholdPercent', 'emails'], 'emails'],
    ['AccountAlias', ['accountAlias', 'adminGroup'], 'accountAlias'],
    ['passwordfile', ['password', 'passwordFile'], 'passwordFile'],
    ['pasword', ['password', 'passwordFile'], 'password'],
    ['rootaccesskey', ['rootAccessKeys', 'budget'], 'rootAccessKeys'],
    ['threshold', ['name', 'amount', 'alertThresholdPercent', 'emails'], 'alertThresholdPercent'],
    ['alias', ['accountAlias', 'adminGroup', 'adminUser'], 'accountAlias'],
  ])('%s -> %s', (input, candidates, expected) => {
    expect(didYouMean(input, candidates)).toBe(expected);
  });

  it.each([
    ['region', ['accountAlias', 'adminGroup', 'adminUser', 'rootAccessKeys', 'budget']],
    ['xyz', ['name', 'mfa']],
    ['admin', ['adminGroup', 'adminUser']],
    ['', ['name']],
  ])('suggests nothing for %j when nothing is close (or two are)', (input, candidates) => {
    expect(didYouMean(input, candidates)).toBeUndefined();
  });

  it('counts a swap of two neighbours as one edit', () => {
    expect(editDistance('budgte', 'budget')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
