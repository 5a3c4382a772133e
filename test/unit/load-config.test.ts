import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BootstrapConfig } from '../../src/core/config/config-types.js';
import { loadConfig, validateConfig, type ConfigContext } from '../../src/core/config/load-config.js';
import { BootstrapError } from '../../src/core/errors.js';

const EXAMPLE_YAML = `accountAlias: acme-sandbox
adminGroup:
  name: Administrators          # default
adminUser:
  name: alice
  password: generate            # generate | prompt | env:NAME   (never the password itself)
  passwordResetRequired: true
  mfa: defer                    # prompt (QR + codes, needs a TTY) | defer
rootAccessKeys: report          # delete | report
budget:
  name: monthly-cost-budget     # default
  amount: 25                    # USD a month, > 0
  alertThresholdPercent: 80     # default 80
  emails: [ops@example.com]     # 1 to 10
`;

const EXAMPLE_CONFIG: BootstrapConfig = {
  accountAlias: 'acme-sandbox',
  adminGroup: { name: 'Administrators' },
  adminUser: { name: 'alice', password: 'generate', passwordResetRequired: true, mfa: 'defer' },
  rootAccessKeys: 'report',
  budget: { name: 'monthly-cost-budget', amount: 25, alertThresholdPercent: 80, emails: ['ops@example.com'] },
};

const TTY: ConfigContext = { isTTY: true, env: {} };
const NO_TTY: ConfigContext = { isTTY: false, env: {} };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aws-bootstrap-load-config-'));
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The error loadConfig throws, checked for its code, and its problem lines (`path: message`). */
async function problemsOf(path: string, context: ConfigContext = TTY): Promise<string[]> {
  const error = await loadConfig(path, context).then(
    () => expect.unreachable('the file was accepted'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BootstrapError);
  const known = error as BootstrapError;
  expect(known.code).toBe('CONFIG_INVALID');
  expect(known.exitCode).toBe(2);
  const [header, ...lines] = known.message.split('\n');
  expect(header).toBe(`The config file ${path} has ${lines.length === 1 ? 'a problem' : `${lines.length} problems`}; nothing was changed:`);
  expect(known.message).not.toMatch(/\n\s+at .+:\d+:\d+/);
  return lines.map((l) => {
    expect(l.startsWith('  ')).toBe(true);
    return l.slice(2);
  });
}

const yamlProblems = (text: string, context?: ConfigContext) => problemsOf(file('acme.yaml', text), context);

describe('loadConfig: good files', () => {
  it('reads the example of the issue (YAML) into a BootstrapConfig', async () => {
    expect(await loadConfig(file('acme.yaml', EXAMPLE_YAML), TTY)).toEqual(EXAMPLE_CONFIG);
  });

  it('reads the same file written as JSON (.json) and as .yml', async () => {
    expect(await loadConfig(file('acme.json', JSON.stringify(EXAMPLE_CONFIG, null, 2)), TTY)).toEqual(EXAMPLE_CONFIG);
    expect(await loadConfig(file('acme.json', JSON.stringify(EXAMPLE_CONFIG, null, '\t')), TTY)).toEqual(EXAMPLE_CONFIG);
    expect(await loadConfig(file('acme.yml', EXAMPLE_YAML), TTY)).toEqual(EXAMPLE_CONFIG);
  });

  it('fills in the defaults, in YAML and in JSON', async () => {
    const expected: BootstrapConfig = {
      adminGroup: { name: 'Administrators' },
      adminUser: { name: 'alice', password: 'env:ALICE_PASSWORD', passwordResetRequired: true, mfa: 'defer' },
      budget: { name: 'monthly-cost-budget', amount: 12.5, alertThresholdPercent: 80, emails: ['ops@example.com', 'cfo@example.com'] },
    };
    const context = { isTTY: false, env: { ALICE_PASSWORD: 'Secret-123-abc' } };
    const yaml = `adminGroup: {}\nadminUser:\n  name: alice\n  password: env:ALICE_PASSWORD\nbudget:\n  amount: 12.5\n  emails:\n    - ops@example.com\n    - cfo@example.com\n`;
    expect(await loadConfig(file('min.yaml', yaml), context)).toEqual(expected);
    const json = '{"adminGroup": {}, "adminUser": {"name": "alice", "password": "env:ALICE_PASSWORD"}, "budget": {"amount": 12.5, "emails": ["ops@example.com", "cfo@example.com"]}}';
    expect(await loadConfig(file('min.json', json), context)).toEqual(expected);
  });

  it('accepts and drops the $schema line editors use; a file with one section runs only that section', async () => {
    const config = await loadConfig(file('s.yaml', '# yaml-language-server: $schema=./aws-bootstrap.schema.json\n$schema: ./aws-bootstrap.schema.json\naccountAlias: acme-sandbox\n'), NO_TTY);
    expect(config).toEqual({ accountAlias: 'acme-sandbox' });
  });

  it('takes a generated password to a new file in an existing directory without a terminal', async () => {
    const passwordFile = join(dir, 'alice-password.txt');
    const yaml = `adminUser:\n  name: alice\n  password: generate\n  passwordFile: ${passwordFile}\n`;
    expect((await loadConfig(file('pw.yaml', yaml), NO_TTY)).adminUser?.passwordFile).toBe(passwordFile);
  });

  it('accepts an existing password file unless asked to refuse it (a re-run generates no password)', async () => {
    const passwordFile = file('old-password.txt', 'old\n');
    const path = file('pw.yaml', `adminUser:\n  name: alice\n  password: generate\n  passwordFile: ${passwordFile}\n`);
    expect((await loadConfig(path, NO_TTY)).adminUser?.passwordFile).toBe(passwordFile);
    expect(await problemsOf(path, { ...NO_TTY, refuseExistingPasswordFile: true })).toEqual([
      `adminUser.passwordFile: ${passwordFile} already exists; aws-bootstrap never overwrites a password file`,
    ]);
  });

  it('for check, needs no terminal, variable or password file', async () => {
    const yaml = `adminUser:\n  name: alice\n  password: env:UNSET_VARIABLE\n  mfa: prompt\n`;
    const config = await loadConfig(file('check.yaml', yaml), { isTTY: false, env: {}, purpose: 'check' });
    expect(config.adminUser).toEqual({ name: 'alice', password: 'env:UNSET_VARIABLE', passwordResetRequired: true, mfa: 'prompt' });
  });
});

describe('loadConfig: problems with the file itself', () => {
  it('a missing file', async () => {
    const path = join(dir, 'missing.yaml');
    expect(await problemsOf(path)).toEqual([`${path}: the file does not exist`]);
  });

  it('a file far too large to be a config file', async () => {
    const path = file('huge.yaml', `# ${'x'.repeat(1024 * 1024)}\n`);
    expect(await problemsOf(path)).toEqual([`${path}: the file is too large for a config file (1048579 bytes)`]);
  });

  it('a directory', async () => {
    const path = join(dir, 'a-dir.yaml');
    mkdirSync(path);
    expect(await problemsOf(path)).toEqual([`${path}: is a directory, not a file`]);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file', async () => {
    const path = file('secret.yaml', EXAMPLE_YAML);
    chmodSync(path, 0o000);
    expect(await problemsOf(path)).toEqual([`${path}: the file cannot be read (permission denied)`]);
  });

  it.each([
    ['nothing', ''],
    ['blank lines', '\n  \n\n'],
    ['only comments', '# accountAlias: acme-sandbox\n# budget:\n'],
    ['an empty JSON document', '\uFEFF  \n'],
    ['a null document', '~\n'],
  ])('an empty file (%s)', async (_what, text) => {
    const path = file('acme.yaml', text);
    expect(await problemsOf(path)).toEqual([`${path}: the file is empty`]);
  });

  it('YAML syntax errors with line and column', async () => {
    const path = file('acme.yaml', 'accountAlias: acme-sandbox\nbudget:\n  amount: 25\n   emails: [ops@example.com]\n');
    const lines = await problemsOf(path);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line).toMatch(new RegExp(`^${escape(path)}:[34]:\\d+: \\S`));

    const tabs = file('tabs.yaml', 'budget:\n\tamount: 25\n');
    expect(await problemsOf(tabs)).toEqual([`${tabs}:2:1: Tabs are not allowed as indentation`]);

    const quote = file('quote.yaml', 'accountAlias: "acme-sandbox\n');
    expect((await problemsOf(quote))[0]).toMatch(new RegExp(`^${escape(quote)}:\\d+:\\d+: Missing closing "quote`));
  });

  it('JSON syntax errors with line and column', async () => {
    const path = file('acme.json', '{\n  "accountAlias": "acme-sandbox",\n  "budget": { "amount": 25 \n}\n');
    const lines = await problemsOf(path);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line).toMatch(new RegExp(`^${escape(path)}:\\d+:\\d+: \\S`));
  });

  it.each([
    ['a trailing comma', '{\n  "accountAlias": "acme-sandbox",\n  "budget": { "amount": 5, }\n}\n', "3:26: a comma before '}' is not allowed in JSON"],
    ['a comment', '{\n  "accountAlias": "acme-sandbox" // ours\n}\n', '2:34: comments are not allowed in JSON'],
    ['single quotes', "{\n  'accountAlias': 'acme-sandbox'\n}\n", '2:3: JSON strings and keys take double quotes'],
    ['an unquoted key', '{\n  accountAlias: "acme-sandbox"\n}\n', '2:3: expected a key in double quotes'],
    ['YAML in a .json file', 'accountAlias: acme-sandbox\n', '1:1: expected a value (text in double quotes, a number, true, false, null, [...] or {...})'],
    ['a missing brace', '{\n  "accountAlias": "acme-sandbox"\n', "3:1: the JSON ends too early: expected ',' or '}'"],
  ])('a .json file must be JSON, not only YAML: %s', async (_what, text, expected) => {
    const path = file('acme.json', text);
    expect(await problemsOf(path)).toEqual([`${path}:${expected}`]);
  });

  it('never quotes the file in a JSON syntax error', async () => {
    const path = file('acme.json', '{"adminUser": {"name": "alice", "password": "Tr0ub4dor&3",}}');
    const lines = await problemsOf(path);
    expect(lines).toEqual([`${path}:1:58: a comma before '}' is not allowed in JSON`]);
  });

  it.each([
    ['a tag (!)', 'adminUser:\n  name: alice\n  password: !Secret-77\n', '3:13: unknown YAML tag: a value that starts with ! must be in quotes'],
    ['an alias (*)', 'adminUser:\n  name: alice\n  password: *Secret-77\n', 'a value that starts with * is a YAML alias, and no anchor (&) has that name: put the value in quotes'],
    ['a directive (%)', '%YAML Secret-77\n---\naccountAlias: acme\n', '1:7: a line that starts with % is a YAML directive: put the value in quotes'],
    ['a block scalar header', 'adminUser:\n  password: |x Secret-77\n    a\n', '2:14: Block scalar header includes extra characters'],
  ])('never quotes the file in a YAML error: %s', async (_what, text, expected) => {
    const path = file('acme.yaml', text);
    const lines = await problemsOf(path);
    expect(lines[0]).toBe(expected.startsWith('a value') ? `${path}: ${expected}` : `${path}:${expected}`);
    expect(lines.join('\n')).not.toContain('Secret-77');
  });

  it('a key that is a list or a mapping', async () => {
    const path = file('acme.yaml', '? [a, b]\n: 1\n');
    expect(await problemsOf(path)).toEqual([`${path}:1:3: a key must be text, not a list or a mapping`]);
  });

  it('duplicate keys, in YAML and in JSON', async () => {
    const yaml = file('dup.yaml', 'accountAlias: a-one\nbudget:\n  amount: 25\n  amount: 30\naccountAlias: a-two\n');
    expect(await problemsOf(yaml)).toEqual([
      `${yaml}:4:3: duplicate key: a key appears only once in a mapping`,
      `${yaml}:5:1: duplicate key: a key appears only once in a mapping`,
    ]);
    const json = file('dup.json', '{\n  "accountAlias": "a-one",\n  "accountAlias": "a-two"\n}\n');
    expect(await problemsOf(json)).toEqual([`${json}:3:3: duplicate key: a key appears only once in a mapping`]);
  });

  it('more than one YAML document', async () => {
    const path = file('two.yaml', 'accountAlias: a-one\n---\naccountAlias: a-two\n');
    expect(await problemsOf(path)).toEqual([`${path}:2:1: the file holds more than one YAML document (---): put everything in one`]);
  });

  it('a file that is not a mapping', async () => {
    const list = file('list.yaml', '- accountAlias: acme\n');
    expect(await problemsOf(list)).toEqual([`${list}: the file must hold a mapping of keys (YAML) or an object (JSON)`]);
    const scalar = file('scalar.json', '"acme-sandbox"');
    expect(await problemsOf(scalar)).toEqual([`${scalar}: the file must hold a mapping of keys (YAML) or an object (JSON)`]);
  });
});

describe('loadConfig: problems with the settings, each as path: message', () => {
  it.each([
    ['unknown top-level key', 'budgte:\n  amount: 25\n', 'budgte: unknown key (did you mean "budget"?)'],
    ['unknown nested key', 'budget:\n  ammount: 25\n  amount: 25\n  emails: [a@b.co]\n', 'budget.ammount: unknown key (did you mean "amount"?)'],
    ['unknown key, nothing close', 'region: us-east-1\n', 'region: unknown key (the keys here are accountAlias, adminGroup, adminUser, rootAccessKeys, budget)'],
    ['key in the wrong case', 'AccountAlias: acme-sandbox\n', 'AccountAlias: unknown key (did you mean "accountAlias"?)'],
    ['wrong type: section', 'budget: 25\n', 'budget: must be a mapping of keys'],
    ['wrong type: empty section', 'adminGroup:\n', 'adminGroup: is empty: write "adminGroup: {}" to use the defaults, or remove it to skip the step'],
    ['wrong type: boolean', 'adminUser:\n  name: alice\n  password: env:PW\n  passwordResetRequired: "no"\n', 'adminUser.passwordResetRequired: must be true or false'],
    ['wrong type: enum', 'rootAccessKeys: remove\n', 'rootAccessKeys: must be delete or report'],
    ['alias: length', 'accountAlias: ab\n', 'accountAlias: an alias has 3 to 63 characters'],
    ['alias: characters', 'accountAlias: Acme_Sandbox\n', 'accountAlias: use only lowercase letters, digits and hyphens'],
    ['alias: hyphen at an end', 'accountAlias: acme-\n', 'accountAlias: an alias cannot start or end with a hyphen'],
    ['alias: two hyphens', 'accountAlias: acme--sandbox\n', 'accountAlias: an alias cannot contain two hyphens in a row'],
    ['alias: account id', 'accountAlias: "123456789012"\n', 'accountAlias: an alias cannot be a 12-digit number (it would look like an account id)'],
    ['alias: a number', 'accountAlias: 123456789012\n', 'accountAlias: must be text, e.g. acme-sandbox'],
    ['amount 0', 'budget:\n  amount: 0\n  emails: [a@b.co]\n', 'budget.amount: must be a number greater than 0'],
    ['amount < 0', 'budget:\n  amount: -25\n  emails: [a@b.co]\n', 'budget.amount: must be a number greater than 0'],
    ['amount not a number', 'budget:\n  amount: 25 USD\n  emails: [a@b.co]\n', 'budget.amount: must be a number greater than 0'],
    ['amount quoted', 'budget:\n  amount: "25"\n  emails: [a@b.co]\n', 'budget.amount: must be a number greater than 0'],
    ['amount .nan', 'budget:\n  amount: .nan\n  emails: [a@b.co]\n', 'budget.amount: must be a number greater than 0'],
    ['amount missing', 'budget:\n  emails: [a@b.co]\n', 'budget.amount: is required: USD a month, a number greater than 0'],
    ['threshold 0', 'budget:\n  amount: 25\n  alertThresholdPercent: 0\n  emails: [a@b.co]\n', 'budget.alertThresholdPercent: must be a number from 1 to 1000'],
    ['threshold 1001', 'budget:\n  amount: 25\n  alertThresholdPercent: 1001\n  emails: [a@b.co]\n', 'budget.alertThresholdPercent: must be a number from 1 to 1000'],
    ['malformed email', 'budget:\n  amount: 25\n  emails: [ops@example.com, ops.example.com]\n', 'budget.emails[1]: "ops.example.com" is not an email address'],
    ['no email', 'budget:\n  amount: 25\n  emails: []\n', 'budget.emails: must list 1 to 10 email addresses (AWS Budgets alerts at most 10); this lists 0'],
    ['too many emails', `budget:\n  amount: 25\n  emails: [${Array.from({ length: 11 }, (_, i) => `o${i}@example.com`).join(', ')}]\n`, 'budget.emails: must list 1 to 10 email addresses (AWS Budgets alerts at most 10); this lists 11'],
    ['literal password', 'adminUser:\n  name: alice\n  password: Tr0ub4dor&3\n', 'adminUser.password: must be generate, prompt or env:NAME — never the password itself'],
    ['mfa: prompt without a terminal', 'adminUser:\n  name: alice\n  password: env:PW\n  mfa: prompt\n', 'adminUser.mfa: prompt needs a terminal, and none is attached: use defer (the user enrols at first sign-in)'],
    ['password: prompt without a terminal', 'adminUser:\n  name: alice\n  password: prompt\n', 'adminUser.password: prompt needs a terminal, and none is attached: use generate (with passwordFile) or env:NAME'],
    ['env:NAME unset', 'adminUser:\n  name: alice\n  password: env:NOT_SET_ANYWHERE\n', 'adminUser.password: environment variable NOT_SET_ANYWHERE is not set'],
    ['env:NAME empty', 'adminUser:\n  name: alice\n  password: env:EMPTY\n', 'adminUser.password: environment variable EMPTY is not set'],
    ['generate, no terminal, no file', 'adminUser:\n  name: alice\n  password: generate\n', 'adminUser.passwordFile: required when password is generate and no terminal is attached'],
    ['password file in a missing directory', 'adminUser:\n  name: alice\n  password: generate\n  passwordFile: ./no-such-dir-4711/pw.txt\n', 'adminUser.passwordFile: the directory ./no-such-dir-4711 does not exist'],
  ])('%s', async (_what, text, expected) => {
    const lines = await yamlProblems(text, { isTTY: false, env: { PW: 'x', EMPTY: '' } });
    expect(lines).toEqual([expected]);
  });

  it('never prints a literal password, nor the value of the variable it names', async () => {
    const literal = await yamlProblems('adminUser:\n  name: alice\n  password: "Tr0ub4dor&3"\n');
    expect(literal.join('\n')).not.toContain('Tr0ub4dor');
    const env = { isTTY: false, env: { ALICE_PW: 'Correct-Horse-9' } };
    const lines = await yamlProblems('adminUser:\n  name: alice\n  password: env:ALICE_PW\n  mfa: prompt\n', env);
    expect(lines).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('Correct-Horse');
  });

  it('reports the existing password file and a password file that is a directory', async () => {
    const existing = file('pw.txt', 'old\n');
    expect(
      await yamlProblems(`adminUser:\n  name: alice\n  password: generate\n  passwordFile: ${existing}\n`, { ...NO_TTY, refuseExistingPasswordFile: true }),
    ).toEqual([`adminUser.passwordFile: ${existing} already exists; aws-bootstrap never overwrites a password file`]);
    expect(await yamlProblems(`adminUser:\n  name: alice\n  password: generate\n  passwordFile: ${dir}\n`, NO_TTY)).toEqual([
      `adminUser.passwordFile: ${dir} is a directory, not a file`,
    ]);
  });

  it('reports every problem at once, in the order of the file, schema and terminal problems together', async () => {
    const path = file(
      'acme.yaml',
      `accountAlias: Acme--Sandbox
adminGroup:
  nmae: Admins
adminUser:
  name: alice
  password: hunter2
  mfa: prompt
rootAccessKeys: maybe
budgte: {}
budget:
  amount: -1
  alertThresholdPercent: 5000
  emails: [ops@example.com, nope]
`,
    );
    expect(await problemsOf(path, NO_TTY)).toEqual([
      'accountAlias: use only lowercase letters, digits and hyphens',
      'adminGroup.nmae: unknown key (did you mean "name"?)',
      'adminUser.password: must be generate, prompt or env:NAME — never the password itself',
      'adminUser.mfa: prompt needs a terminal, and none is attached: use defer (the user enrols at first sign-in)',
      'rootAccessKeys: must be delete or report',
      'budgte: unknown key (did you mean "budget"?)',
      'budget.amount: must be a number greater than 0',
      'budget.alertThresholdPercent: must be a number from 1 to 1000',
      'budget.emails[1]: "nope" is not an email address',
    ]);
  });

  it('the same problems in a JSON file', async () => {
    const path = file('acme.json', JSON.stringify({ budgte: {}, budget: { amount: 0, emails: ['x'] }, adminUser: { name: 'alice', password: 'generate' } }, null, 2));
    expect(await problemsOf(path, NO_TTY)).toEqual([
      'budgte: unknown key (did you mean "budget"?)',
      'budget.amount: must be a number greater than 0',
      'budget.emails[0]: "x" is not an email address',
      'adminUser.passwordFile: required when password is generate and no terminal is attached',
    ]);
  });
});

describe('validateConfig', () => {
  it('returns the config or every problem, without touching a file', () => {
    expect(validateConfig(EXAMPLE_CONFIG, TTY)).toEqual({ config: EXAMPLE_CONFIG });
    expect(validateConfig({ budget: { amount: '25', emails: [] }, extra: 1 }, TTY)).toEqual({
      problems: [
        { path: 'budget.amount', message: 'must be a number greater than 0' },
        { path: 'budget.emails', message: 'must list 1 to 10 email addresses (AWS Budgets alerts at most 10); this lists 0' },
        { path: 'extra', message: 'unknown key (the keys here are accountAlias, adminGroup, adminUser, rootAccessKeys, budget)' },
      ],
    });
    expect(validateConfig(null, TTY)).toEqual({ problems: [{ path: '', message: 'the file must hold a mapping of keys (YAML) or an object (JSON)' }] });
  });

  it('checks what init needs from here, and check does not', () => {
    const config = { adminUser: { name: 'alice', password: 'prompt', mfa: 'prompt' } };
    expect(validateConfig(config, NO_TTY)).toEqual({
      problems: [
        { path: 'adminUser.mfa', message: 'prompt needs a terminal, and none is attached: use defer (the user enrols at first sign-in)' },
        { path: 'adminUser.password', message: 'prompt needs a terminal, and none is attached: use generate (with passwordFile) or env:NAME' },
      ],
    });
    expect(validateConfig(config, TTY)).toHaveProperty('config');
    expect(validateConfig(config, { ...NO_TTY, purpose: 'check' })).toHaveProperty('config');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
