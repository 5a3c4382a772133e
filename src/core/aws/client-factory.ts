import { BudgetsClient } from '@aws-sdk/client-budgets';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/config-resolver';
import { loadConfig } from '@smithy/node-config-provider';
import type { AwsCredentialIdentityProvider, Client, MiddlewareStack } from '@smithy/types';
import { BootstrapError } from '../errors.js';
import type { IoHost } from '../io-host.js';
import { VERSION } from '../version.js';
import type { AwsOptions } from './aws-options.js';
import { describeCredentialSource } from './credential-source.js';
import { globalRegionOf, partitionOfRegion, type Partition } from './partition.js';
import { createReadCache } from './read-cache.js';

/** Used when neither --region, AWS_REGION nor the profile names one: IAM and Budgets are global anyway. */
export const FALLBACK_REGION = 'us-east-1';

/** Retries: the SDK's standard strategy (exponential backoff with jitter, throttling-aware). */
const MAX_ATTEMPTS = 5;
/** Keeps an unreachable endpoint from hanging the run. */
const CONNECTION_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The one place AWS clients are made: credentials, region, endpoint, retries and user agent are decided
 * here and nowhere else. Clients are created on first use and shared.
 */
export interface AwsClients {
  readonly region: string;
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
  /** True when the clients share one read cache (`readCache`): identical reads are sent once until a write. */
  readonly cachesReads: boolean;
  /** Forgets every cached read, so the next reads go to AWS (a no-op without `readCache`). */
  forgetReads(): void;
}

export async function resolveRegion(options: AwsOptions): Promise<string> {
  if (options.region) return options.region;
  try {
    const fromConfig = await loadConfig(NODE_REGION_CONFIG_OPTIONS, {
      ...NODE_REGION_CONFIG_FILE_OPTIONS,
      ...(options.profile ? { profile: options.profile } : {}),
    })();
    if (fromConfig) return fromConfig;
  } catch {
    // no region configured anywhere: fall through
  }
  return FALLBACK_REGION;
}

export async function createAwsClients(options: AwsOptions, io: IoHost): Promise<AwsClients> {
  const region = await resolveRegion(options);
  const partition = partitionOfRegion(region);
  const endpoint = options.endpointUrl ?? process.env.AWS_ENDPOINT_URL;
  const given = options.credentials;
  const credentials: AwsCredentialIdentityProvider =
    given === undefined
      ? fromNodeProviderChain({ ...(options.profile ? { profile: options.profile } : {}), clientConfig: { region } })
      : typeof given === 'function'
        ? given
        : async () => given;

  const common = {
    credentials,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
    retryMode: 'standard',
    maxAttempts: MAX_ATTEMPTS,
    customUserAgent: [['aws-bootstrap', VERSION]] as [string, string][],
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  };

  io.debug(`region: ${region}${options.region ? ' (--region)' : ''}; partition: ${partition}`);
  if (endpoint) io.debug(`endpoint override: ${endpoint}${options.endpointUrl ? ' (--endpoint-url)' : ' (AWS_ENDPOINT_URL)'}`);

  const cache = new Map<string, unknown>();
  const readCache = options.readCache ? createReadCache(io) : undefined;
  function lazy<T extends Client<any, any, any>>(service: string, make: () => T): T {
    let client = cache.get(service) as T | undefined;
    if (!client) {
      client = make();
      addCallLog(client.middlewareStack, service, io);
      if (options.readOnly) addReadOnlyGuard(client.middlewareStack, service);
      readCache?.install(client.middlewareStack, service);
      cache.set(service, client);
    }
    return client;
  }

  return {
    region,
    partition,
    endpoint,
    profile: options.profile,
    iam: () => lazy('iam', () => new IAMClient({ ...common, region })),
    sts: () => lazy('sts', () => new STSClient({ ...common, region })),
    budgets: () => lazy('budgets', () => new BudgetsClient({ ...common, region: globalRegionOf(partition) })),
    async credentialSource() {
      return describeCredentialSource(await credentials());
    },
    cachesReads: readCache !== undefined,
    forgetReads: () => readCache?.clear(),
  };
}

const READ_OPERATION = /^(Get|List|Describe)/;

/** Dry runs: a write never leaves the process. Reaching this is a bug in a step, reported as such. */
function addReadOnlyGuard(stack: MiddlewareStack<any, any>, service: string): void {
  stack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      if (!READ_OPERATION.test(operation)) {
        throw new BootstrapError('INTERNAL', `A dry run tried to call ${service}:${operation}; nothing was sent. This is a bug in aws-bootstrap.`);
      }
      return next(args);
    },
    { step: 'initialize', name: 'awsBootstrapReadOnlyGuard', priority: 'high' },
  );
}

/** Under --debug: one line per call (service, operation, outcome, time). Never parameters or responses. */
function addCallLog(stack: MiddlewareStack<any, any>, service: string, io: IoHost): void {
  stack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? 'call').replace(/Command$/, '');
      const started = performance.now();
      try {
        const result = await next(args);
        io.debug(`${service}:${operation} ok (${Math.round(performance.now() - started)} ms)`);
        return result;
      } catch (e) {
        const name = e instanceof Error ? e.name : 'Error';
        io.debug(`${service}:${operation} failed: ${name} (${Math.round(performance.now() - started)} ms)`);
        throw e;
      }
    },
    { step: 'initialize', name: 'awsBootstrapCallLog' },
  );
}
