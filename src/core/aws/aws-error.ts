import { BootstrapError } from '../errors.js';
import { commandsUsing, iamActionFor } from '../permissions.js';
import { partitionOfRegion } from './partition.js';
import { rejectedInRegionAdvice, unknownRegionAdvice, type RegionFacts } from './region.js';

/** A failed AWS call, named the way IAM policies name it (`iam:GetAccountSummary`). */
export class AwsCallError extends Error {
  override readonly name = 'AwsCallError';
  constructor(
    readonly call: string,
    override readonly cause: unknown,
  ) {
    super(`${call} failed: ${describeAwsError(cause)}`, { cause });
  }
}

/** Runs one AWS call and names it in any error, so nobody has to guess which call failed. */
export async function namedCall<T>(call: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof AwsCallError ? e : new AwsCallError(call, e);
  }
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  errors?: unknown[];
  $metadata?: { httpStatusCode?: number };
}

function asErrorLike(e: unknown): ErrorLike {
  return typeof e === 'object' && e !== null ? (e as ErrorLike) : { message: String(e) };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

const INVALID_CREDENTIAL_NAMES = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'InvalidToken',
  'TokenRefreshRequired',
]);

const ACCESS_DENIED_NAMES = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

export type AwsErrorKind = 'no-credentials' | 'invalid-credentials' | 'access-denied' | 'network' | 'other';

function rootCause(e: unknown): unknown {
  return e instanceof AwsCallError ? e.cause : e;
}

export function awsErrorKind(error: unknown): AwsErrorKind {
  const e = asErrorLike(rootCause(error));
  const name = e.name ?? '';
  if (name === 'CredentialsProviderError') {
    // An SSO session that has expired is a credential that exists but no longer works.
    return /expired|refresh/i.test(e.message ?? '') ? 'invalid-credentials' : 'no-credentials';
  }
  if (INVALID_CREDENTIAL_NAMES.has(name)) return 'invalid-credentials';
  if (ACCESS_DENIED_NAMES.has(name)) return 'access-denied';
  if (name === 'TimeoutError' || networkCode(error) !== undefined) return 'network';
  return 'other';
}

/** True for anything that came from an AWS call (an SDK error, a named call's failure, a network or credential error). */
export function isAwsError(error: unknown): boolean {
  if (error instanceof AwsCallError || awsErrorKind(error) !== 'other') return true;
  return typeof error === 'object' && error !== null && '$metadata' in error;
}

/**
 * Errors after which no further call can succeed (no credentials, rejected credentials, no network):
 * the run stops with exit 3 instead of reporting one error row per control.
 */
export function isFatalAwsError(error: unknown): boolean {
  const kind = awsErrorKind(error);
  return kind === 'no-credentials' || kind === 'invalid-credentials' || kind === 'network';
}

/** One line: `Name: message`, never a stack, never request parameters. */
export function describeAwsError(error: unknown): string {
  const e = asErrorLike(rootCause(error));
  const name = e.name ?? 'Error';
  if (name === 'SyntaxError' && e.$metadata) {
    return `the service sent a response that is not valid for this API (HTTP ${e.$metadata.httpStatusCode ?? '?'}); is the endpoint an emulator without this operation?`;
  }
  const inner = e.errors?.map(asErrorLike).find((x) => x.code !== undefined);
  const message = (e.message ?? '').trim() || inner?.message || e.code || 'no message';
  return `${name}: ${message}`.replace(/\s+/g, ' ');
}

/**
 * What to add to the caller's policy for a denied call: the IAM action (not always the operation's name:
 * budgets:DescribeBudgets is authorized by budgets:ViewBudget) and the command that prints the whole policy.
 */
export function allowAdvice(call: string | undefined, deniedAction?: string): string {
  if (call === undefined) return `Add ${deniedAction ?? 'the denied action'} to its IAM policy (${policyCommands(undefined)} prints all it needs)`;
  const action = deniedAction ?? iamActionFor(call) ?? call;
  return `Add ${action} to its IAM policy (${policyCommands(call)} prints all it needs)`;
}

/** `aws-bootstrap permissions --for X` for the commands that make the call (both when it is not known). */
function policyCommands(call: string | undefined): string {
  const commands = call === undefined ? [] : commandsUsing(call);
  const printed = commands.length > 0 ? commands : (['check', 'init'] as const);
  return printed.map((c) => `\`aws-bootstrap permissions --for ${c}\``).join(' or ');
}

/**
 * The action AWS names in an access-denied message ("... is not authorized to perform: iam:TagUser on resource:
 * ..."): not always the call's own action (CreateUser with Tags is also checked against iam:TagUser).
 */
export function deniedActionOf(error: unknown): string | undefined {
  const message = asErrorLike(rootCause(error)).message ?? '';
  return /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1];
}

/** What the failure's message may name besides the error: the endpoint override, the profile, the region and its source. */
export interface AwsErrorContext {
  endpoint?: string | undefined;
  profile?: string | undefined;
  region?: RegionFacts | undefined;
}

/** The context of a run's clients, for toBootstrapError. */
export function errorContextOf(clients: { endpoint?: string | undefined; profile?: string | undefined; region: string; regionSource: string }): AwsErrorContext {
  return { endpoint: clients.endpoint, profile: clients.profile, region: { region: clients.region, source: clients.regionSource } };
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/** The Node.js network error code of the failure or of one of its inner errors (AggregateError), if any. */
function networkCode(error: unknown): string | undefined {
  const e = asErrorLike(rootCause(error));
  if (e.code !== undefined && NETWORK_CODES.has(e.code)) return e.code;
  return e.errors?.map(asErrorLike).find((x) => x.code !== undefined && NETWORK_CODES.has(x.code))?.code;
}

/**
 * A region is to blame only for calls that go to a regional endpoint: with an endpoint override it plays no part,
 * and IAM is global (signed for us-east-1 whatever the region) except in another partition, where every call fails.
 */
function regionInPlay(context: AwsErrorContext, call: string | undefined): RegionFacts | undefined {
  const r = context.region;
  if (r === undefined || context.endpoint !== undefined) return undefined;
  return call === undefined || call.startsWith('sts:') || partitionOfRegion(r.region) !== 'aws' ? r : undefined;
}

/** Turns any AWS failure into a user-facing paragraph with the cause and the fix (exit 3). */
export function toBootstrapError(error: unknown, context: AwsErrorContext = {}): BootstrapError {
  if (error instanceof BootstrapError) return error;
  const call = error instanceof AwsCallError ? error.call : undefined;
  const what = describeAwsError(error);
  const region = regionInPlay(context, call);
  const kind = awsErrorKind(error);
  if (region !== undefined) {
    const advice =
      kind === 'network' && DNS_CODES.has(networkCode(error) ?? '')
        ? unknownRegionAdvice(region)
        : kind === 'invalid-credentials'
          ? rejectedInRegionAdvice(region)
          : undefined;
    if (advice !== undefined) {
      const opening = kind === 'network' ? `Could not reach AWS${call ? ` for ${call}` : ''}` : `AWS rejected the credentials${call ? ` on ${call}` : ''}`;
      return new BootstrapError(kind === 'network' ? 'AWS_NETWORK' : 'AWS_INVALID_CREDENTIALS', `${opening}. ${advice} (${what})`, {
        cause: error,
      });
    }
  }
  switch (kind) {
    case 'no-credentials':
      return new BootstrapError(
        'AWS_NO_CREDENTIALS',
        `No AWS credentials were found${context.profile ? ` for profile "${context.profile}"` : ''}. ` +
          'aws-bootstrap uses the standard AWS credential chain: environment variables, ~/.aws profiles ' +
          '(including IAM Identity Center / SSO), container and instance credentials. Easiest: open AWS CloudShell ' +
          'in the console and run it there (no keys needed); or run `aws configure` / `aws sso login` and pass ' +
          `--profile NAME. (${what})`,
        { cause: error },
      );
    case 'invalid-credentials':
      return new BootstrapError(
        'AWS_INVALID_CREDENTIALS',
        `AWS rejected the credentials${call ? ` on ${call}` : ''}: they are invalid or expired. ` +
          'Refresh them (`aws sso login`, new session credentials, or check the access key in your profile) and run ' +
          `again. (${what})`,
        { cause: error },
      );
    case 'access-denied':
      if (/explicit deny/i.test(what)) {
        // An Allow cannot undo a Deny: adding the action would change nothing.
        return new BootstrapError(
          'AWS_ACCESS_DENIED',
          `Access denied${call ? ` on ${call}` : ''} by an explicit Deny (a policy of the identity, a permissions ` +
            'boundary or an organization SCP), so adding an Allow will not help. If the identity is in the admin ' +
            "group, its MFA guard denies nearly everything to a session without MFA: sign in with MFA (the console or " +
            'CloudShell, or `aws sts get-session-token --serial-number ... --token-code ...`), or run as an identity ' +
            `outside that group that holds what ${policyCommands(call)} prints. (${what})`,
          { cause: error },
        );
      }
      return new BootstrapError(
        'AWS_ACCESS_DENIED',
        `Access denied${call ? ` on ${call}` : ''}: the identity running aws-bootstrap may not make this call. ` +
          `${allowAdvice(call, deniedActionOf(error))}, or run as the account's admin (or root in CloudShell). (${what})`,
        { cause: error },
      );
    case 'network':
      return new BootstrapError(
        'AWS_NETWORK',
        `Could not reach AWS${context.endpoint ? ` at ${context.endpoint}` : ''}${call ? ` for ${call}` : ''}` +
          `${region ? ` in the region ${region.region} (from ${region.source})` : ''}: ` +
          'check the network connection, proxy settings, --region and --endpoint-url / AWS_ENDPOINT_URL. ' +
          `(${what})`,
        { cause: error },
      );
    default:
      if (asErrorLike(rootCause(error)).name === 'RegionDisabledException' && context.region) {
        // STS answers this in a region where the account has deactivated its regional endpoint.
        return new BootstrapError(
          'AWS_ERROR',
          `AWS STS is not activated in the region ${context.region.region} (from ${context.region.source}) for this account${call ? ` (${call})` : ''}: ` +
            'activate it (IAM console, Account settings, "Security Token Service (STS)") or run with --region us-east-1; ' +
            `IAM and Budgets are global, so any region works. (${what})`,
          { cause: error },
        );
      }
      return new BootstrapError(
        'AWS_ERROR',
        `AWS returned an error${call ? ` on ${call}` : ''}: ${what}`,
        { cause: error },
      );
  }
}
