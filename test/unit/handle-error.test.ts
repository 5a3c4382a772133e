import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { handleError } from '../../src/cli/handle-error.js';
import { BootstrapError } from '../../src/core/errors.js';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

describe('the top-level error handler', async () => {
  it('prints a known error as one paragraph with its exit code, and no stack', async () => {
    const out = capture();
    const code = await handleError(new BootstrapError('USAGE', '--region: bad.'), { debug: false, stderr: out.stream });
    expect(code).toBe(2);
    expect(out.text()).toBe('aws-bootstrap: --region: bad.\n');
  });

  it('calls an unexpected error a bug (exit 4) and keeps the stack for --debug', async () => {
    const quiet = capture();
    expect(await handleError(new TypeError('x is undefined'), { debug: false, stderr: quiet.stream })).toBe(4);
    expect(quiet.text()).toContain('This is a bug in aws-bootstrap');
    expect(quiet.text()).not.toMatch(/\n\s+at /);
    const loud = capture();
    await handleError(new TypeError('x is undefined'), { debug: true, stderr: loud.stream });
    expect(loud.text()).toContain('[debug] error code INTERNAL');
    expect(loud.text()).toMatch(/\n\s+at /);
  });

  it('classifies a raw SDK error that escaped the core as an AWS error (exit 3)', async () => {
    const out = capture();
    const sdkError = Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
    expect(await handleError(sdkError, { debug: false, stderr: out.stream })).toBe(3);
    expect(out.text()).toContain('AWS returned an error: Throttling: Rate exceeded');
  });
});
