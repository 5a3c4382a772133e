import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RetryErrorInfo } from '@smithy/types';
import { BootstrapRetryStrategy, MAX_ATTEMPTS, MAX_CONNECTION_ATTEMPTS, MAX_TIMEOUT_ATTEMPTS, noAnswerKind } from '../../src/core/aws/retry-strategy.js';

/** How many attempts the strategy allows for one call that fails every time with this error. */
async function attemptsFor(errorInfo: RetryErrorInfo): Promise<number> {
  const strategy = new BootstrapRetryStrategy();
  let token = await strategy.acquireInitialRetryToken('');
  let attempts = 1;
  for (;;) {
    const next = strategy.refreshRetryTokenForRetry(token, errorInfo).then(
      (t) => ({ t }),
      () => undefined,
    );
    await vi.runAllTimersAsync();
    const result = await next;
    if (!result) return attempts;
    token = result.t;
    attempts += 1;
  }
}

const withCode = (name: string, code: string) => Object.assign(new Error(`connect ${code}`), { name, code });

describe('the retry strategy every AWS client gets', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries throttling (AWS answers Throttling / ThrottlingException) up to 10 attempts', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 }, $response: {} });
    expect(await attemptsFor({ error: throttled as never, errorType: 'THROTTLING' })).toBe(MAX_ATTEMPTS);
    expect(MAX_ATTEMPTS).toBe(10);
  });

  it('retries an HTTP 500 (AWS ServiceFailure) up to 10 attempts', async () => {
    const failure = Object.assign(new Error('oops'), { name: 'ServiceFailure', $metadata: { httpStatusCode: 500 }, $response: {} });
    expect(await attemptsFor({ error: failure as never, errorType: 'TRANSIENT' })).toBe(MAX_ATTEMPTS);
  });

  it('gives up on a connection that cannot be made (nothing listening, no DNS name) after 3 attempts', async () => {
    for (const error of [
      withCode('Error', 'ECONNREFUSED'),
      withCode('Error', 'ENOTFOUND'),
      Object.assign(new AggregateError([withCode('Error', 'ECONNREFUSED')]), { code: undefined }),
    ]) {
      expect(noAnswerKind(error)).toBe('connection');
      expect(await attemptsFor({ error: error as never, errorType: 'TRANSIENT' })).toBe(MAX_CONNECTION_ATTEMPTS);
    }
    expect(MAX_CONNECTION_ATTEMPTS).toBe(3);
  });

  it('retries a timeout (no answer within the request timeout) once', async () => {
    const timeout = Object.assign(new Error('Connection timed out after 8000 ms'), { name: 'TimeoutError' });
    expect(noAnswerKind(timeout)).toBe('timeout');
    expect(await attemptsFor({ error: timeout as never, errorType: 'TRANSIENT' })).toBe(MAX_TIMEOUT_ATTEMPTS);
    expect(MAX_TIMEOUT_ATTEMPTS).toBe(2);
  });

  it('does not retry an error AWS means (AccessDenied, EntityAlreadyExists)', async () => {
    const denied = Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 }, $response: {} });
    expect(noAnswerKind(denied)).toBeUndefined();
    expect(await attemptsFor({ error: denied as never, errorType: 'CLIENT_ERROR' })).toBe(1);
  });
});
