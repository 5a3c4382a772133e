import { randomInt } from 'node:crypto';
import type { PasswordPolicy } from '@aws-sdk/client-iam';

/**
 * Console passwords: the rules AWS applies to a new IAM user password, checked locally (before any call),
 * and a generator that always satisfies them.
 *
 * - A custom account password policy (GetAccountPasswordPolicy) sets a minimum length and which character
 *   classes are required; "symbols" are the ones IAM lists: ! @ # $ % ^ & * ( ) _ + - = [ ] { } | '
 * - Without one (NoSuchEntity), AWS's default policy applies: at least 8 characters and at least three of
 *   uppercase, lowercase, numbers and symbols.
 * - CreateLoginProfile takes 1 to 128 characters from tab, newline, carriage return and U+0020-U+00FF.
 */
export const AWS_PASSWORD_SYMBOLS = "!@#$%^&*()_+-=[]{}|'";
export const MAX_PASSWORD_LENGTH = 128;
/** What a generated password has at least, whatever the policy asks. */
export const GENERATED_PASSWORD_LENGTH = 20;

export type CharacterClass = 'uppercase' | 'lowercase' | 'numbers' | 'symbols';

export interface PasswordRules {
  minimumLength: number;
  /** Classes the password must contain. */
  required: CharacterClass[];
  /** How many of the four classes must appear at all (AWS's default policy wants three). */
  minimumClasses: number;
  /** True when the account has no password policy of its own and AWS's default applies. */
  awsDefault: boolean;
}

const CLASS_TESTS: Record<CharacterClass, (c: string) => boolean> = {
  uppercase: (c) => c >= 'A' && c <= 'Z',
  lowercase: (c) => c >= 'a' && c <= 'z',
  numbers: (c) => c >= '0' && c <= '9',
  symbols: (c) => AWS_PASSWORD_SYMBOLS.includes(c),
};

const CLASS_NAMES: Record<CharacterClass, string> = {
  uppercase: 'an uppercase letter (A-Z)',
  lowercase: 'a lowercase letter (a-z)',
  numbers: 'a digit (0-9)',
  symbols: `a symbol (one of ${AWS_PASSWORD_SYMBOLS.split('').join(' ')})`,
};

const ALLOWED_CHARACTERS = /^[\t\n\r\u0020-\u00FF]+$/;

/** The rules in force: the account's policy, or AWS's default when GetAccountPasswordPolicy found none. */
export function passwordRules(policy: PasswordPolicy | undefined): PasswordRules {
  if (policy === undefined) {
    return { minimumLength: 8, required: [], minimumClasses: 3, awsDefault: true };
  }
  const required: CharacterClass[] = [];
  if (policy.RequireUppercaseCharacters) required.push('uppercase');
  if (policy.RequireLowercaseCharacters) required.push('lowercase');
  if (policy.RequireNumbers) required.push('numbers');
  if (policy.RequireSymbols) required.push('symbols');
  return { minimumLength: policy.MinimumPasswordLength ?? 6, required, minimumClasses: 0, awsDefault: false };
}

/** One line a person can act on, e.g. "at least 14 characters, with an uppercase letter (A-Z) and a digit (0-9)". */
export function describeRules(rules: PasswordRules): string {
  const parts = [`at least ${rules.minimumLength} characters`];
  if (rules.required.length > 0) parts.push(`with ${rules.required.map((c) => CLASS_NAMES[c]).join(', ')}`);
  if (rules.minimumClasses > 0) {
    parts.push(`using at least ${rules.minimumClasses} of: uppercase letters, lowercase letters, digits, symbols`);
  }
  return parts.join(', ');
}

export function classesIn(password: string): Set<CharacterClass> {
  const found = new Set<CharacterClass>();
  for (const c of password) {
    for (const cls of Object.keys(CLASS_TESTS) as CharacterClass[]) if (CLASS_TESTS[cls](c)) found.add(cls);
  }
  return found;
}

/**
 * Checks a password against the rules locally. Returns an error message (never containing the password),
 * or true. The password may not be the user's name either.
 */
export function checkPassword(password: string, rules: PasswordRules, userName: string): string | true {
  if (password.length < rules.minimumLength) return `Use at least ${rules.minimumLength} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (!ALLOWED_CHARACTERS.test(password)) return 'Use only Latin-1 characters (letters, digits, symbols, spaces).';
  if (password.toLowerCase() === userName.toLowerCase()) return 'The password cannot be the user name.';
  const found = classesIn(password);
  const missing = rules.required.filter((c) => !found.has(c));
  if (missing.length > 0) return `The account's password policy needs ${missing.map((c) => CLASS_NAMES[c]).join(', ')}.`;
  if (found.size < rules.minimumClasses) {
    return (
      `AWS's default password policy needs at least ${rules.minimumClasses} of: uppercase letters, lowercase ` +
      `letters, digits, symbols (${AWS_PASSWORD_SYMBOLS.split('').join(' ')}).`
    );
  }
  return true;
}

/** Letters and digits that are easy to misread (I l 1 O 0) are left out: people may type it from the screen. */
const ALPHABETS: Record<CharacterClass, string> = {
  uppercase: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  lowercase: 'abcdefghijkmnopqrstuvwxyz',
  numbers: '23456789',
  // IAM's symbols without the quote and the pipe, which break copy-paste into shells and some forms.
  symbols: '!@#$%^&*()_+-=[]{}',
};

/**
 * A crypto-random password that satisfies the rules: at least GENERATED_PASSWORD_LENGTH characters (more
 * if the policy asks for more), always with all four character classes.
 */
export function generatePassword(rules: PasswordRules, userName = ''): string {
  const length = Math.min(MAX_PASSWORD_LENGTH, Math.max(GENERATED_PASSWORD_LENGTH, rules.minimumLength));
  const all = Object.values(ALPHABETS).join('');
  const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)]!;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const chars = (Object.keys(ALPHABETS) as CharacterClass[]).map((c) => pick(ALPHABETS[c]));
    while (chars.length < length) chars.push(pick(all));
    // Fisher-Yates, so the guaranteed characters are not always first.
    for (let i = chars.length - 1; i > 0; i -= 1) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    const password = chars.join('');
    if (checkPassword(password, rules, userName) === true) return password;
  }
  // Only an impossible policy gets here (IAM caps MinimumPasswordLength at 128).
  throw new Error(`Cannot generate a password that meets the policy: ${describeRules(rules)}.`);
}
