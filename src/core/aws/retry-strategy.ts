import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';

/**
 * Throttling and 5xx answers: the SDK's standard strategy (exponential backoff with jitter, a longer base delay
 * for throttling, a retry quota) with room for a busy account. At 25% failed answers, 10 attempts leave about
 * one call in a million failing.
 */
export const MAX_ATTEMPTS = 10;

/**
 * Failures to connect at all (nothing listening, no DNS name, no route): a few attempts, so a wrong endpoint
 * or region is reported within seconds instead of after ten rounds of backoff.
 */
export const MAX_CONNECTION_ATTEMPTS = 3;

/**
 * No answer in time (the client factory's connection and request timeouts): one retry. An endpoint that takes
 * connections and never answers then costs two request timeouts, and the run still ends within 20 s.
 */
export const MAX_TIMEOUT_ATTEMPTS = 2;

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface ErrorLike {
  name?: string;
  code?: string;
  errors?: unknown[];
  $response?: unknown;
}

/** Which kind of "no answer at all" an error is, if it is one (an answer, even an error status, is not). */
export function noAnswerKind(error: unknown): 'connection' | 'timeout' | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as ErrorLike;
  if (e.$response !== undefined) return undefined;
  if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT') return 'timeout';
  if (e.code !== undefined && CONNECTION_ERROR_CODES.has(e.code)) return 'connection';
  for (const inner of e.errors ?? []) {
    const kind = noAnswerKind(inner);
    if (kind) return kind;
  }
  return undefined;
}

/**
 * The retry strategy of every client: the SDK's StandardRetryStrategy decides what is retryable, how long to
 * wait and the retry quota; this only stops connection failures and timeouts sooner.
 */
export class BootstrapRetryStrategy implements RetryStrategyV2 {
  private readonly standard = new StandardRetryStrategy(MAX_ATTEMPTS);

  acquireInitialRetryToken(retryTokenScope: string): Promise<StandardRetryToken> {
    return this.standard.acquireInitialRetryToken(retryTokenScope);
  }

  refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    const kind = noAnswerKind(errorInfo.error);
    const limit = kind === 'connection' ? MAX_CONNECTION_ATTEMPTS : kind === 'timeout' ? MAX_TIMEOUT_ATTEMPTS : MAX_ATTEMPTS;
    if (token.getRetryCount() + 1 >= limit) return Promise.reject(new Error('No retry token available'));
    return this.standard.refreshRetryTokenForRetry(token, errorInfo);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.standard.recordSuccess(token);
  }
}
