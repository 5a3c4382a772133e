import type { PasswordPolicy } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import {
  AWS_PASSWORD_SYMBOLS,
  checkPassword,
  classesIn,
  describeRules,
  generatePassword,
  GENERATED_PASSWORD_LENGTH,
  passwordRules,
} from '../../src/core/steps/password.js';

const STRICT: PasswordPolicy = {
  MinimumPasswordLength: 14,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  RequireNumbers: true,
  RequireSymbols: true,
};

describe('password rules', () => {
  it("uses AWS's default policy (8 characters, 3 of 4 classes) when the account has none", () => {
    const rules = passwordRules(undefined);
    expect(rules).toEqual({ minimumLength: 8, required: [], minimumClasses: 3, awsDefault: true });
    expect(checkPassword('abcdefgh', rules, 'alice')).toMatch(/at least 3 of/);
    expect(checkPassword('abcdEFGH', rules, 'alice')).toMatch(/at least 3 of/);
    expect(checkPassword('abcdEF12', rules, 'alice')).toBe(true);
    expect(checkPassword('abcdef1!', rules, 'alice')).toBe(true);
    expect(checkPassword('aB1!', rules, 'alice')).toBe('Use at least 8 characters.');
  });

  it("takes length and required classes from the account's policy", () => {
    const rules = passwordRules(STRICT);
    expect(rules).toEqual({
      minimumLength: 14,
      required: ['uppercase', 'lowercase', 'numbers', 'symbols'],
      minimumClasses: 0,
      awsDefault: false,
    });
    expect(describeRules(rules)).toContain('at least 14 characters');
    expect(checkPassword('Abcdefghijkl1!', rules, 'alice')).toBe(true);
    expect(checkPassword('abcdefghijkl1!', rules, 'alice')).toMatch(/uppercase letter/);
    expect(checkPassword('ABCDEFGHIJKL1!', rules, 'alice')).toMatch(/lowercase letter/);
    expect(checkPassword('Abcdefghijklm!', rules, 'alice')).toMatch(/digit/);
    expect(checkPassword('Abcdefghijklm1', rules, 'alice')).toMatch(/symbol/);
    expect(checkPassword('Abcdefghijk1!', rules, 'alice')).toBe('Use at least 14 characters.');
    // A policy without requirements only counts length (IAM's own default minimum is 6).
    expect(checkPassword('aaaaaa', passwordRules({}), 'alice')).toBe(true);
  });

  it('counts only the symbols IAM lists towards "require symbols"', () => {
    const rules = passwordRules({ MinimumPasswordLength: 6, RequireSymbols: true });
    expect(checkPassword('abc~def', rules, 'x')).toMatch(/symbol/);
    for (const symbol of AWS_PASSWORD_SYMBOLS) expect(checkPassword(`abcdef${symbol}`, rules, 'x')).toBe(true);
  });

  it('refuses the user name, more than 128 characters and characters outside Latin-1', () => {
    const rules = passwordRules({ MinimumPasswordLength: 6 });
    expect(checkPassword('Alice.Smith', rules, 'alice.smith')).toBe('The password cannot be the user name.');
    expect(checkPassword('a'.repeat(129), rules, 'alice')).toBe('Use at most 128 characters.');
    expect(checkPassword('pässwörd€€', rules, 'alice')).toMatch(/Latin-1/);
  });

  it('never repeats the password in an error message', () => {
    const rules = passwordRules(STRICT);
    for (const candidate of ['short', 'nouppercase1!xx', 'NOLOWERCASE1!XX', 'alice', 'x'.repeat(200), 'Ünïcödé€€€€€€€€1!']) {
      const verdict = checkPassword(candidate, rules, 'alice');
      expect(verdict).not.toBe(true);
      expect(verdict).not.toContain(candidate);
    }
  });
});

describe('generated passwords', () => {
  const policies: [string, PasswordPolicy | undefined][] = [
    ['no account policy (AWS default)', undefined],
    ['an empty policy', {}],
    ['a strict policy of 14 characters', STRICT],
    ['symbols and numbers only, 32 characters', { MinimumPasswordLength: 32, RequireSymbols: true, RequireNumbers: true }],
    ['the longest minimum IAM allows (128)', { ...STRICT, MinimumPasswordLength: 128 }],
  ];

  for (const [name, policy] of policies) {
    it(`always meet ${name}, with all four classes`, () => {
      const rules = passwordRules(policy);
      const expectedLength = Math.max(GENERATED_PASSWORD_LENGTH, policy?.MinimumPasswordLength ?? 0);
      const seen = new Set<string>();
      for (let i = 0; i < 400; i += 1) {
        const password = generatePassword(rules, 'alice');
        expect(checkPassword(password, rules, 'alice')).toBe(true);
        // Also meets the strictest policy of the same length: every class, every time.
        expect(checkPassword(password, passwordRules({ ...STRICT, MinimumPasswordLength: expectedLength }), 'alice')).toBe(true);
        expect(password).toHaveLength(expectedLength);
        expect([...classesIn(password)].sort()).toEqual(['lowercase', 'numbers', 'symbols', 'uppercase']);
        expect(password).toMatch(/^[A-Za-z2-9!@#$%^&*()_+\-=[\]{}]+$/);
        expect(password).not.toMatch(/[Il1O0'|]/);
        seen.add(password);
      }
      expect(seen.size).toBe(400);
    });
  }

  it('uses every character of its alphabet and puts the guaranteed classes anywhere', () => {
    const rules = passwordRules(undefined);
    const counts = new Map<string, number>();
    const firstChars = new Set<string>();
    for (let i = 0; i < 2000; i += 1) {
      const password = generatePassword(rules);
      firstChars.add([...classesIn(password[0]!)][0]!);
      for (const c of password) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    // 40,000 characters over 75 symbols: about 530 each; a broken picker would leave some at 0.
    expect(counts.size).toBe(24 + 25 + 8 + 18);
    expect(Math.min(...counts.values())).toBeGreaterThan(250);
    expect(firstChars).toEqual(new Set(['uppercase', 'lowercase', 'numbers', 'symbols']));
  });
});
