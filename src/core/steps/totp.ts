import { generateSync } from 'otplib';

/**
 * TOTP as AWS virtual MFA devices use it (RFC 6238: SHA1, 6 digits, 30-second steps), for two jobs:
 * the otpauth:// URI an authenticator app scans, and checking a person's two codes locally before
 * EnableMFADevice, so a mistake gets a precise explanation instead of AWS's bare "invalid code".
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;

/** How far from "now" the first code may be, in time steps (a phone clock a little off, a slow typist). */
export const DRIFT_STEPS = 1;
/** Where a single stray code is still recognised as this device's (for "not consecutive" vs "not this device"). */
const NEARBY_STEPS = 10;
/** Where a consecutive pair is still recognised, to name a phone clock that is off (2 hours either way). */
const CLOCK_SEARCH_STEPS = (2 * 60 * 60) / TOTP_PERIOD_SECONDS;

const BASE32 = /^[A-Z2-7]+$/;

/**
 * CreateVirtualMFADevice's `Base32StringSeed` is a blob whose bytes are the base32 text itself
 * (the SDK hands it over as a Uint8Array). Returns that text without padding, as apps expect it.
 */
export function seedToBase32(seed: Uint8Array | undefined): string {
  if (seed === undefined || seed.length === 0) throw new Error('CreateVirtualMFADevice returned no Base32StringSeed.');
  const text = Buffer.from(seed).toString('latin1').replace(/\s+/g, '').replace(/=+$/, '').toUpperCase();
  if (!BASE32.test(text)) throw new Error('CreateVirtualMFADevice returned a Base32StringSeed that is not base32 text.');
  return text;
}

/**
 * The key URI authenticator apps scan (Google's "Key Uri Format"): label `<issuer>:<account>`, both parts
 * percent-encoded (a space as %20, never +), with the issuer repeated as a parameter.
 */
export function otpauthUri(options: { issuer: string; accountName: string; secret: string }): string {
  const issuer = encodeURIComponent(options.issuer);
  const label = `${issuer}:${encodeURIComponent(options.accountName)}`;
  const params = [
    `secret=${options.secret}`,
    `issuer=${issuer}`,
    'algorithm=SHA1',
    `digits=${TOTP_DIGITS}`,
    `period=${TOTP_PERIOD_SECONDS}`,
  ];
  return `otpauth://totp/${label}?${params.join('&')}`;
}

/** The time step (RFC 6238 counter) at a moment given in milliseconds since the epoch. */
export function timeStepAt(epochMs: number): number {
  return Math.floor(epochMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code the device shows during time step `step`. */
export function totpCode(secret: string, step: number): string {
  return generateSync({ secret, epoch: step * TOTP_PERIOD_SECONDS, period: TOTP_PERIOD_SECONDS, digits: TOTP_DIGITS });
}

/** Apps show a code as "123 456": spaces are dropped. */
export function normalizeCode(value: string): string {
  return value.replace(/\s+/g, '');
}

export function validateCodeFormat(value: string): string | true {
  return /^\d{6}$/.test(normalizeCode(value)) ? true : 'A code is 6 digits, as the app shows it (e.g. 123 456).';
}

export type CodePairProblem = 'format' | 'same' | 'clock' | 'not-consecutive' | 'no-match';

export type CodePairVerdict = { ok: true; step: number } | { ok: false; problem: CodePairProblem; message: string };

/**
 * The local check of the two codes EnableMFADevice needs. Accepted: code1 is the code of some step t with
 * |t - now| <= 1 step, and code2 is the code of t + 1. Otherwise says what went wrong, in order: not 6 digits;
 * the same code twice; a consecutive pair from a clock that is off; codes of this device that do not follow
 * each other; codes that do not belong to this secret at all.
 */
export function checkCodePair(
  secret: string,
  first: string,
  second: string,
  nowMs: number,
  entryName = 'the new entry',
): CodePairVerdict {
  const code1 = normalizeCode(first);
  const code2 = normalizeCode(second);
  if (validateCodeFormat(code1) !== true || validateCodeFormat(code2) !== true) {
    return { ok: false, problem: 'format', message: 'Each code is 6 digits, as the app shows it (e.g. 123 456).' };
  }
  if (code1 === code2) {
    return {
      ok: false,
      problem: 'same',
      message:
        'You entered the same code twice. The second code is the next one: wait until the app shows a new code ' +
        '(it changes every 30 seconds), then enter that one.',
    };
  }

  const now = timeStepAt(nowMs);
  const memo = new Map<number, string>();
  const codeAt = (step: number): string => {
    let code = memo.get(step);
    if (code === undefined) {
      code = totpCode(secret, step);
      memo.set(step, code);
    }
    return code;
  };
  const pairAt = (t: number) => codeAt(t) === code1 && codeAt(t + 1) === code2;

  for (let t = now - DRIFT_STEPS; t <= now + DRIFT_STEPS; t += 1) {
    if (pairAt(t)) return { ok: true, step: t };
  }

  for (let d = DRIFT_STEPS + 1; d <= CLOCK_SEARCH_STEPS; d += 1) {
    for (const t of [now - d, now + d]) {
      if (!pairAt(t)) continue;
      return {
        ok: false,
        problem: 'clock',
        message:
          `These are two consecutive codes of ${entryName}, but from ${describeOffset((t - now) * TOTP_PERIOD_SECONDS)}. ` +
          (t < now
            ? "Either they were read a while ago, or your phone's clock is behind. "
            : "Your phone's clock is ahead. ") +
          "Set the phone's date and time to automatic (network time), then enter the code shown now and the next one.",
      };
    }
  }

  const nearby = (code: string): number[] => {
    const steps: number[] = [];
    for (let t = now - NEARBY_STEPS; t <= now + NEARBY_STEPS; t += 1) if (codeAt(t) === code) steps.push(t);
    return steps;
  };
  const steps1 = nearby(code1);
  const steps2 = nearby(code2);
  if (steps1.length > 0 && steps2.length > 0) {
    const reversed = steps1.some((t) => steps2.includes(t - 1));
    return {
      ok: false,
      problem: 'not-consecutive',
      message: reversed
        ? 'Both codes are right but in reverse order: enter the code shown now first, then the next one.'
        : 'Both codes come from this device, but they do not follow each other: the second must be the very next ' +
          'code after the first. Enter the code shown now, wait for it to change, then enter the new one.',
    };
  }
  const which =
    steps1.length === 0 && steps2.length === 0
      ? 'Neither code matches'
      : steps1.length === 0
        ? 'The first code does not match'
        : 'The second code does not match';
  return {
    ok: false,
    problem: 'no-match',
    message:
      `${which} this device's secret key. Check that you are reading ${entryName} in your app, not another ` +
      'account (an entry from an earlier attempt belongs to a device that no longer exists), and that you typed ' +
      "the digits correctly. If the entry is right, your phone's clock may be far off: set its date and time to " +
      'automatic.',
  };
}

function describeOffset(seconds: number): string {
  const abs = Math.abs(seconds);
  const amount = abs < 120 ? `${abs} seconds` : abs < 7200 ? `${Math.round(abs / 60)} minutes` : `${Math.round(abs / 3600)} hours`;
  return seconds < 0 ? `about ${amount} ago` : `about ${amount} in the future`;
}
