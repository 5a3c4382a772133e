import qrcode from 'qrcode-terminal';

/**
 * A QR code as terminal text in qrcode-terminal's small mode (two modules a character cell, half blocks), so an
 * otpauth URI fits an 80-column terminal. Shown on the terminal only: the text it encodes may hold a secret.
 */
export function renderQrCode(text: string): string {
  // qrcode-terminal calls back synchronously, so the code is ready when generate returns.
  let rendered = '';
  qrcode.generate(text, { small: true }, (code: string) => {
    rendered = code.replace(/\n+$/, '');
  });
  return rendered;
}
