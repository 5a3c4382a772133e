import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { motoSnapshot, warmUp } from '../support/moto-state.js';
import { isolatedEnv, MOTO_CREDENTIALS, runCli } from '../support/run-cli.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

const GOOD_USER = 'adminUser:\n  name: alice\n  password: generate\n  passwordFile: ./pw.txt\n';
const elevenEmails = Array.from({ length: 11 }, (_, i) => `ops${i}@example.com`).join(', ');

/** [name, file name, content (undefined: no such file; null: a directory), what stderr must say]. */
const CASES: [string, string, string | undefined | null, string[]][] = [
  ['a typo in a key', 'a.yaml', 'accountAlias: acme\nbudgte:\n  amount: 5\n', ['budgte: unknown key (did you mean "budget"?)']],
  ['a nested typo', 'b.yaml', 'budget:\n  ammount: 5\n  emails: [a@example.com]\n', ['budget.ammount: unknown key (did you mean "amount"?)']],
  ['a wrong type', 'c.yaml', 'accountAlias: [acme]\n', ['accountAlias:']],
  ['an alias against AWS rules', 'd.yaml', 'accountAlias: Acme_Sandbox\n', ['accountAlias:']],
  ['an amount of 0', 'e.yaml', 'budget:\n  amount: 0\n  emails: [a@example.com]\n', ['budget.amount: must be a number greater than 0']],
  ['an amount that is not a number', 'f.yaml', 'budget:\n  amount: lots\n  emails: [a@example.com]\n', ['budget.amount: must be a number greater than 0']],
  ['a threshold over 1000', 'g.yaml', 'budget:\n  amount: 5\n  alertThresholdPercent: 1001\n  emails: [a@example.com]\n', ['budget.alertThresholdPercent:']],
  ['a malformed email', 'h.yaml', 'budget:\n  amount: 5\n  emails: [not-an-email]\n', ['budget.emails']],
  ['eleven emails', 'i.yaml', `budget:\n  amount: 5\n  emails: [${elevenEmails}]\n`, ['budget.emails']],
  ['a literal password', 'j.yaml', 'adminUser:\n  name: alice\n  password: Hunter2-Secret!\n', ['adminUser.password:']],
  ['mfa: prompt without a terminal', 'k.yaml', `${GOOD_USER}  mfa: prompt\n`, ['adminUser.mfa: prompt needs a terminal']],
  ['an empty file', 'l.yaml', '', ['l.yaml', 'empty']],
  ['YAML syntax', 'm.yaml', 'accountAlias: acme\nbudget:\n  amount: [5\n', ['m.yaml:']],
  ['JSON syntax', 'n.json', '{\n  "accountAlias": "acme",\n  "budget": { "amount": 5, }\n}\n', ['n.json:']],
  ['a missing file', 'missing.yaml', undefined, ['missing.yaml']],
  ['a directory instead of a file', 'dir.yaml', null, ['dir.yaml']],
];

describe.skipIf(!motoAvailable)('a bad config file changes nothing (exit 2, the path in the message, no AWS write)', () => {
  const moto = useMoto();
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aws-bootstrap-bad-'));
    for (const [, name, content] of CASES) {
      if (content === null) mkdirSync(join(dir, name));
      else if (content !== undefined) writeFileSync(join(dir, name), content);
    }
  });

  it.each(CASES)('%s', async (_name, file, _content, expected) => {
    await warmUp(moto.server.endpoint);
    const before = await motoSnapshot(moto.server.endpoint);
    const commands = [['init', '--yes'], ['plan'], ['check']];
    const results = await Promise.all(
      commands.map((command) =>
        runCli([...command, '--config', join(dir, file), '--endpoint-url', moto.server.endpoint], {
          env: isolatedEnv(MOTO_CREDENTIALS),
        }),
      ),
    );
    for (const [i, result] of results.entries()) {
      const command = commands[i]!;
      if (command[0] !== 'init' && file === 'k.yaml') {
        // `check` and `plan` ask nothing: whether a terminal could answer prompts does not matter to them.
        expect(result.code).not.toBe(2);
        continue;
      }
      expect(result.code, `${command.join(' ')}: ${result.stderr}`).toBe(2);
      for (const text of expected) expect(result.stderr).toContain(text);
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(result.stderr).not.toContain('Hunter2-Secret!');
      expect(result.stdout).toBe('');
    }
    expect(await motoSnapshot(moto.server.endpoint)).toBe(before);
  });

  it('reports every problem of a file at once, one per line', async () => {
    const file = join(dir, 'many.yaml');
    writeFileSync(file, 'accountAlias: -bad-\nbudgte: 1\nbudget:\n  amount: -3\n  emails: []\n');
    const result = await runCli(['plan', '--config', file, '--endpoint-url', moto.server.endpoint], {
      env: isolatedEnv(MOTO_CREDENTIALS),
    });
    expect(result.code).toBe(2);
    for (const path of ['accountAlias:', 'budgte: unknown key', 'budget.amount: must be a number greater than 0', 'budget.emails']) {
      expect(result.stderr).toContain(path);
    }
  });
});
