import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';

/**
 * Throttling and 5xx answers: the SDK's standard strategy (exponential backoff with jitter, a longer base delay
 * for throttling, a retry quota) with room for a busy account. At 25% failed answers, 10 attempts leave about
 * one call in a million failing.
 */
export const MAX_ATTEMPTS = 10;

/**
 * Failures to connect at all (nothing listening, no DNS name, a connection that times out): a few attempts,
 * so a wrong endpoint or region is reported within seconds instead of after ten rounds of backoff.
 */
export const MAX_CONNECTION_ATTEMPTS = 3;

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
]);

interface ErrorLike {
  name?: string;
  code?: string;
  errors?: unknown[];
  $response?: unknown;
}

/** No answer came back from the service (not even an error status): the endpoint is not reachable. */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as ErrorLike;
  if (e.$response !== undefined) return false;
  if (e.name === 'TimeoutError' || (e.code !== undefined && CONNECTION_ERROR_CODES.has(e.code))) return true;
  return (e.errors ?? []).some(isConnectionError);
}

/**
 * The retry strategy of every client: the SDK's StandardRetryStrategy decides what is retryable, how long to
 * wait and the retry quota; this only stops connection failures after MAX_CONNECTION_ATTEMPTS.
 */
export class BootstrapRetryStrategy implements RetryStrategyV2 {
  private readonly standard = new StandardRetryStrategy(MAX_ATTEMPTS);

  acquireInitialRetryToken(retryTokenScope: string): Promise<StandardRetryToken> {
    return this.standard.acquireInitialRetryToken(retryTokenScope);
  }

  refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    if (isConnectionError(errorInfo.error) && token.getRetryCount() + 1 >= MAX_CONNECTION_ATTEMPTS) {
      return Promise.reject(new Error('No retry token available'));
    }
    return this.standard.refreshRetryTokenForRetry(token, errorInfo);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.standard.recordSuccess(token);
  }
}
