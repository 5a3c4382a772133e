import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import {
  checkCodePair,
  normalizeCode,
  otpauthUri,
  seedToBase32,
  timeStepAt,
  totpCode,
  validateCodeFormat,
} from '../../src/core/steps/totp.js';

/** RFC 6238's SHA1 test key ("12345678901234567890") in base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
/** A realistic AWS seed: 64 base32 characters. */
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
/** A fixed "now": 2026-11-22T10:00:10Z, 10 s into its 30-second step. */
const NOW_MS = Date.UTC(2026, 10, 22, 10, 0, 10);
const N = Math.floor(NOW_MS / 30_000);

/** What the phone shows during step t, computed by otplib independently of the code under test. */
const phone = (t: number, secret = SECRET) => generateSync({ secret, epoch: t * 30 });

describe('totp codes', () => {
  it('matches the RFC 6238 SHA1 vectors (last 6 digits) and otplib', () => {
    expect(totpCode(RFC_SECRET, timeStepAt(59_000))).toBe('287082');
    expect(totpCode(RFC_SECRET, timeStepAt(1_111_111_109_000))).toBe('081804');
    expect(totpCode(RFC_SECRET, timeStepAt(20_000_000_000_000))).toBe('353130');
    for (const t of [N - 1, N, N + 1]) expect(totpCode(SECRET, t)).toBe(phone(t));
  });

  it('accepts 6 digits with the spaces apps show, and nothing else', () => {
    expect(validateCodeFormat('123456')).toBe(true);
    expect(validateCodeFormat('123 456')).toBe(true);
    expect(normalizeCode(' 123 456 ')).toBe('123456');
    for (const bad of ['', '12345', '1234567', '12345a', '12-456']) expect(validateCodeFormat(bad)).toMatch(/6 digits/);
  });
});

describe('checkCodePair', () => {
  it('accepts the code shown now and the next one', () => {
    expect(checkCodePair(SECRET, phone(N), phone(N + 1), NOW_MS)).toEqual({ ok: true, step: N });
    expect(checkCodePair(SECRET, phone(N).replace(/^(\d{3})/, '$1 '), phone(N + 1), NOW_MS)).toEqual({ ok: true, step: N });
  });

  it('accepts one step of drift either way (phone a little behind or ahead, a code just changed)', () => {
    expect(checkCodePair(SECRET, phone(N - 1), phone(N), NOW_MS)).toEqual({ ok: true, step: N - 1 });
    expect(checkCodePair(SECRET, phone(N + 1), phone(N + 2), NOW_MS)).toEqual({ ok: true, step: N + 1 });
  });

  it('rejects a consecutive pair two steps or more away as a clock problem, naming the offset', () => {
    const behind = checkCodePair(SECRET, phone(N - 2), phone(N - 1), NOW_MS);
    expect(behind).toMatchObject({ ok: false, problem: 'clock' });
    expect(behind.ok ? '' : behind.message).toContain('about 60 seconds ago');
    const ahead = checkCodePair(SECRET, phone(N + 10), phone(N + 11), NOW_MS);
    expect(ahead).toMatchObject({ ok: false, problem: 'clock' });
    expect(ahead.ok ? '' : ahead.message).toMatch(/about 5 minutes in the future.*clock is ahead/);
    // A phone whose time zone is set by hand (one hour off in UTC terms).
    const hour = checkCodePair(SECRET, phone(N - 120), phone(N - 119), NOW_MS);
    expect(hour.ok ? '' : hour.message).toContain('about 60 minutes ago');
  });

  it('rejects codes of this device that do not follow each other, and says when they are reversed', () => {
    const skipped = checkCodePair(SECRET, phone(N), phone(N + 2), NOW_MS);
    expect(skipped).toMatchObject({ ok: false, problem: 'not-consecutive' });
    expect(skipped.ok ? '' : skipped.message).toContain('do not follow each other');
    const reversed = checkCodePair(SECRET, phone(N + 1), phone(N), NOW_MS);
    expect(reversed).toMatchObject({ ok: false, problem: 'not-consecutive' });
    expect(reversed.ok ? '' : reversed.message).toContain('reverse order');
  });

  it('rejects the same code twice', () => {
    expect(checkCodePair(SECRET, phone(N), phone(N), NOW_MS)).toMatchObject({ ok: false, problem: 'same' });
  });

  it('rejects codes of another secret (the wrong entry in the app) and says which code is wrong', () => {
    const other = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
    const neither = checkCodePair(SECRET, phone(N, other), phone(N + 1, other), NOW_MS, 'the "AWS acme" entry for alice');
    expect(neither).toMatchObject({ ok: false, problem: 'no-match' });
    expect(neither.ok ? '' : neither.message).toMatch(/^Neither code matches .*"AWS acme" entry for alice.*clock/);
    const typo = checkCodePair(SECRET, phone(N), phone(N + 1, other), NOW_MS);
    expect(typo.ok ? '' : typo.message).toMatch(/^The second code does not match/);
  });

  it('rejects anything but 6 digits', () => {
    expect(checkCodePair(SECRET, '12345', phone(N + 1), NOW_MS)).toMatchObject({ ok: false, problem: 'format' });
    expect(checkCodePair(SECRET, phone(N), 'abcdef', NOW_MS)).toMatchObject({ ok: false, problem: 'format' });
  });
});

describe('otpauthUri and the seed', () => {
  it('builds the key URI with the issuer in the label and as a parameter, percent-encoded', () => {
    expect(otpauthUri({ issuer: 'AWS acme-sandbox', accountName: 'alice', secret: 'JBSWY3DPEHPK3PXP' })).toBe(
      'otpauth://totp/AWS%20acme-sandbox:alice?secret=JBSWY3DPEHPK3PXP&issuer=AWS%20acme-sandbox&algorithm=SHA1&digits=6&period=30',
    );
    const uri = otpauthUri({ issuer: 'AWS 123456789012', accountName: 'ops+admin@example.com', secret: 'JBSWY3DPEHPK3PXP' });
    expect(uri).toContain('otpauth://totp/AWS%20123456789012:ops%2Badmin%40example.com?');
    const parsed = new URL(uri);
    expect(parsed.searchParams.get('issuer')).toBe('AWS 123456789012');
    expect(parsed.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('reads the seed bytes AWS returns as base32 text, and refuses anything else', () => {
    expect(seedToBase32(new TextEncoder().encode(SECRET))).toBe(SECRET);
    expect(seedToBase32(new TextEncoder().encode('jbswy3dpehpk3pxp===='))).toBe('JBSWY3DPEHPK3PXP');
    expect(() => seedToBase32(new Uint8Array([0, 255, 16]))).toThrow(/not base32/);
    expect(() => seedToBase32(undefined)).toThrow(/no Base32StringSeed/);
  });
});
