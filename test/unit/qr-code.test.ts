import { describe, expect, it } from 'vitest';
import { renderQrCode } from '../../src/cli/render/qr-code.js';
import { otpauthUri } from '../../src/core/steps/totp.js';

describe('renderQrCode', () => {
  it('fits an otpauth URI with a realistic label in 80 columns', async () => {
    for (const secret of ['JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'JBSWY3DPEHPK3PXP'.repeat(4)]) {
      const uri = otpauthUri({ issuer: 'aws-bootstrap:acme-sandbox-production', accountName: 'alice.admin@example.com', secret });
      const lines = renderQrCode(uri).split('\n');
      expect(lines.length).toBeGreaterThan(10);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
      // Small mode: half blocks, two modules a character cell, so the code is about as tall as it is wide.
      expect(lines.join('')).toMatch(/[▀▄]/);
      expect(lines.length).toBeLessThan([...lines[0]!].length);
    }
  });
});
