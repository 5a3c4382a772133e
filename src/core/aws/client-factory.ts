import { BudgetsClient } from '@aws-sdk/client-budgets';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/config-resolver';
import { loadConfig } from '@smithy/node-config-provider';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider, Client, MiddlewareStack } from '@smithy/types';
import { BootstrapError } from '../errors.js';
import type { IoHost } from '../io-host.js';
import { VERSION } from '../version.js';
import type { AwsOptions } from './aws-options.js';
import { describeCredentialSource } from './credential-source.js';
import { isReadOperation, operationOf } from './operation.js';
import { redactForLog } from './redact.js';
import { BootstrapRetryStrategy, MAX_ATTEMPTS } from './retry-strategy.js';
import { globalRegionOf, partitionOfRegion, type Partition } from './partition.js';
import type { RegionFacts } from './region.js';
import { createReadCache, type AskedRead } from './read-cache.js';

/** Used when neither --region, AWS_REGION nor the profile names one: IAM and Budgets are global anyway. */
export const FALLBACK_REGION = 'us-east-1';

/**
 * Keeps an unreachable or silent endpoint from hanging the run: with the retry strategy's limits, a run ends
 * within 20 s whatever the endpoint does. The request timeout is the longest silence on an open connection.
 */
const CONNECTION_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 8_000;

/**
 * The one place AWS clients are made: credentials, region, endpoint, retries and user agent are decided
 * here and nowhere else. Clients are created on first use and shared.
 */
export interface AwsClients {
  readonly region: string;
  /** Where the region came from: `--region`, `AWS_REGION`, `profile "NAME"` or the default. */
  readonly regionSource: string;
  readonly partition: Partition;
  /** The endpoint override in force (flag or AWS_ENDPOINT_URL), if any. */
  readonly endpoint: string | undefined;
  readonly profile: string | undefined;
  iam(): IAMClient;
  sts(): STSClient;
  /** Budgets is a global service: always the partition's global region (us-east-1 in `aws`). */
  budgets(): BudgetsClient;
  /** Which link of the credential chain answered, e.g. "environment variables"; never the secret. */
  credentialSource(): Promise<string>;
  /**
   * Writes sent and not answered yet, e.g. `iam:CreateUser`: what an interrupted run cannot know the outcome
   * of. Reads are not listed.
   */
  writesInFlight(): string[];
  /**
   * Resolves once a request for `call` (e.g. `sts:GetCallerIdentity`) has been handed to the HTTP handler in
   * this run; never, if none is. For ordering reads (the head of the longest chain first), so callers race it
   * with the call itself.
   */
  sent(call: string): Promise<void>;
  /** True when the clients share one read cache (`readCache`): identical reads are sent once until a write. */
  readonly cachesReads: boolean;
  /** Forgets every cached read, so the next reads go to AWS (a no-op without `readCache`). */
  forgetReads(): void;
  /** Every distinct read this run asked for, with how often ([] without `readCache`). */
  readsAsked(): AskedRead[];
  /** Whether the read cache holds this read already (answered or on its way); false without `readCache`. */
  holdsRead(service: string, operation: string, input: unknown): boolean;
  /** The access key id of the credentials in use (not a secret: AWS logs it in CloudTrail); rejects as they would. */
  accessKeyId(): Promise<string>;
}

export async function resolveRegion(options: AwsOptions): Promise<string> {
  return (await resolveRegionWithSource(options)).region;
}

/** The region and where it came from, for error messages: --region, AWS_REGION, the profile, or the fallback. */
export async function resolveRegionWithSource(options: AwsOptions): Promise<RegionFacts> {
  if (options.region) return { region: options.region, source: '--region' };
  try {
    const fromConfig = await loadConfig(NODE_REGION_CONFIG_OPTIONS, {
      ...NODE_REGION_CONFIG_FILE_OPTIONS,
      ...(options.profile ? { profile: options.profile } : {}),
    })();
    if (fromConfig) {
      const profile = options.profile ?? process.env.AWS_PROFILE ?? 'default';
      return { region: fromConfig, source: process.env.AWS_REGION ? 'AWS_REGION' : `profile "${profile}"` };
    }
  } catch {
    // no region configured anywhere: fall through
  }
  return { region: FALLBACK_REGION, source: 'the default, as none is configured' };
}

export async function createAwsClients(options: AwsOptions, io: IoHost): Promise<AwsClients> {
  const { region, source: regionSource } = await resolveRegionWithSource(options);
  const partition = partitionOfRegion(region);
  const endpoint = options.endpointUrl ?? process.env.AWS_ENDPOINT_URL;
  const given = options.credentials;
  const credentials = rememberNotFound(
    given === undefined
      ? fromNodeProviderChain({ ...(options.profile ? { profile: options.profile } : {}), clientConfig: { region } })
      : typeof given === 'function'
        ? given
        : async () => given,
  );

  const common = {
    credentials,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
    maxAttempts: MAX_ATTEMPTS,
    customUserAgent: [['aws-bootstrap', VERSION]] as [string, string][],
    // One HTTP handler, so one pool of kept-alive connections, for every client of the run: where services share
    // a host (an endpoint override), a request takes a connection an earlier one left open instead of opening one.
    requestHandler: new NodeHttpHandler({
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    }),
  };

  io.debug(`region: ${region} (from ${regionSource}); partition: ${partition}`);
  if (endpoint) io.debug(`endpoint override: ${endpoint}${options.endpointUrl ? ' (--endpoint-url)' : ' (AWS_ENDPOINT_URL)'}`);

  // A retry strategy (and so a retry quota) per client: one throttled service does not starve another.
  const configFor = (clientRegion: string) => ({ ...common, region: clientRegion, retryStrategy: new BootstrapRetryStrategy() });
  const cache = new Map<string, unknown>();
  const inFlight = new Set<{ call: string }>();
  const readCache = options.readCache ? createReadCache(io) : undefined;
  const sendSignals = new SendSignals();
  function lazy<T extends Client<any, any, any>>(service: string, make: () => T): T {
    let client = cache.get(service) as T | undefined;
    if (!client) {
      client = make();
      addCallLog(client.middlewareStack, service, io, options.debug === true);
      addWriteTracker(client.middlewareStack, service, inFlight);
      if (options.readOnly) addReadOnlyGuard(client.middlewareStack, service);
      readCache?.install(client.middlewareStack, service);
      sendSignals.install(client.middlewareStack, service);
      cache.set(service, client);
    }
    return client;
  }

  return {
    region,
    regionSource,
    partition,
    endpoint,
    profile: options.profile,
    iam: () => lazy('iam', () => new IAMClient(configFor(region))),
    sts: () => lazy('sts', () => new STSClient(configFor(region))),
    budgets: () => lazy('budgets', () => new BudgetsClient(configFor(globalRegionOf(partition)))),
    async credentialSource() {
      return describeCredentialSource(await credentials());
    },
    writesInFlight: () => [...inFlight].map((e) => e.call),
    sent: (call) => sendSignals.of(call),
    cachesReads: readCache !== undefined,
    forgetReads: () => readCache?.clear(),
    readsAsked: () => readCache?.reads() ?? [],
    holdsRead: (service, operation, input) => readCache?.holds(service, operation, input) ?? false,
    accessKeyId: async () => (await credentials()).accessKeyId,
  };
}

/**
 * Credentials that were not found at all in this run (CredentialsProviderError: no link of the chain had any) stay
 * not found: whoever asks next (another client, the read plan, the run's first call) gets the same error at once
 * instead of walking the chain again (which can mean waiting for instance metadata twice). Any other failure (a
 * throttled AssumeRole, an expired SSO session) is asked again, as is a forced refresh.
 */
function rememberNotFound(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let resolved = false;
  let notFound: Promise<never> | undefined;
  return async (...args) => {
    if (notFound && !args[0]?.forceRefresh) return notFound;
    try {
      const identity = await provider(...args);
      resolved = true;
      return identity;
    } catch (error) {
      if (!resolved && (error as { name?: string } | undefined)?.name === 'CredentialsProviderError') {
        notFound = Promise.reject(error);
        notFound.catch(() => undefined);
      }
      throw error;
    }
  };
}

/** One promise per call label, resolved when a request for it first reaches the HTTP handler. */
class SendSignals {
  private readonly signals = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  of(call: string): Promise<void> {
    return this.signal(call).promise;
  }

  install(stack: MiddlewareStack<any, any>, service: string): void {
    // The innermost middleware: after signing and retries, right before the request goes on the wire.
    stack.add(
      (next, context) => (args) => {
        this.signal(`${service}:${operationOf(context)}`).resolve();
        return next(args);
      },
      { step: 'deserialize', name: 'awsBootstrapSendSignal', priority: 'low' },
    );
  }

  private signal(call: string): { promise: Promise<void>; resolve: () => void } {
    let signal = this.signals.get(call);
    if (!signal) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      signal = { promise, resolve };
      this.signals.set(call, signal);
    }
    return signal;
  }
}

/** Dry runs: a write never leaves the process. Reaching this is a bug in a step, reported as such. */
function addReadOnlyGuard(stack: MiddlewareStack<any, any>, service: string): void {
  stack.add(
    (next, context) => async (args) => {
      const operation = operationOf(context);
      if (!isReadOperation(operation)) {
        throw new BootstrapError('INTERNAL', `A dry run tried to call ${service}:${operation}; nothing was sent. This is a bug in aws-bootstrap.`);
      }
      return next(args);
    },
    { step: 'initialize', name: 'awsBootstrapReadOnlyGuard', priority: 'high' },
  );
}

/** Keeps `inFlight` holding one entry per write sent and not yet answered (two identical writes, two entries). */
function addWriteTracker(stack: MiddlewareStack<any, any>, service: string, inFlight: Set<{ call: string }>): void {
  stack.add(
    (next, context) => async (args) => {
      const operation = operationOf(context);
      if (isReadOperation(operation)) return next(args);
      const entry = { call: `${service}:${operation}` };
      inFlight.add(entry);
      try {
        return await next(args);
      } finally {
        inFlight.delete(entry);
      }
    },
    { step: 'initialize', name: 'awsBootstrapWriteTracker' },
  );
}

/**
 * One debug line per call: service, operation, outcome, time; with `details` (--debug) also the request and
 * the response, secrets redacted (redact.ts).
 */
function addCallLog(stack: MiddlewareStack<any, any>, service: string, io: IoHost, details: boolean): void {
  stack.add(
    (next, context) => async (args) => {
      const operation = operationOf(context);
      const started = Date.now();
      const elapsed = () => `(${Date.now() - started} ms)`;
      const shown = (value: unknown, filter: ((v: any) => any) | undefined) => {
        try {
          return redactForLog(filter ? filter(value) : value);
        } catch {
          return '(not shown)';
        }
      };
      const request = details ? ` request ${shown(args.input, context.inputFilterSensitiveLog)}` : '';
      try {
        const result = await next(args);
        const response = details ? ` response ${shown(result.output, context.outputFilterSensitiveLog)}` : '';
        io.debug(`${service}:${operation} ok ${elapsed()}${request}${response}`);
        return result;
      } catch (e) {
        const name = e instanceof Error ? e.name : 'Error';
        io.debug(`${service}:${operation} failed: ${name} ${elapsed()}${request}`);
        throw e;
      }
    },
    { step: 'initialize', name: 'awsBootstrapCallLog' },
  );
}
