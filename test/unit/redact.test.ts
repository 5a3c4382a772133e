import { describe, expect, it } from 'vitest';
import { MAX_LOGGED, redactForLog } from '../../src/core/aws/redact.js';

describe('what --debug shows of a request or response', () => {
  it('replaces every member named like a secret, at any depth, and keeps the rest', () => {
    const text = redactForLog({
      UserName: 'alice',
      Password: 'pw-1',
      PasswordResetRequired: true,
      Credentials: { AccessKeyId: 'ASIA1', SecretAccessKey: 'sk-2', SessionToken: 'tok-3', Expiration: new Date(0) },
      VirtualMFADevice: { SerialNumber: 'arn:mfa/alice', Base32StringSeed: new Uint8Array([1, 2]), QRCodePNG: new Uint8Array(9) },
      AuthenticationCode1: '123456',
      AuthenticationCode2: '654321',
      $metadata: { requestId: 'r' },
    });
    for (const secret of ['pw-1', 'sk-2', 'tok-3', '123456', '654321']) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toEqual({
      UserName: 'alice',
      Password: '(redacted)',
      PasswordResetRequired: true,
      Credentials: { AccessKeyId: 'ASIA1', SecretAccessKey: '(redacted)', SessionToken: '(redacted)', Expiration: '1970-01-01T00:00:00.000Z' },
      VirtualMFADevice: { SerialNumber: 'arn:mfa/alice', Base32StringSeed: '(redacted)', QRCodePNG: '(redacted)' },
      AuthenticationCode1: '(redacted)',
      AuthenticationCode2: '(redacted)',
    });
  });

  it('counts bytes instead of showing them, and cuts long output', () => {
    expect(redactForLog({ Body: new Uint8Array(5) })).toBe('{"Body":"(5 bytes)"}');
    const long = redactForLog({ Users: Array.from({ length: 1000 }, (_, i) => ({ UserName: `user-${i}` })) });
    expect(long.length).toBeLessThan(MAX_LOGGED + 40);
    expect(long).toMatch(/\.\.\. \(\d+ characters\)$/);
  });
});
