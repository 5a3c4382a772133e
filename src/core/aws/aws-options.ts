import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { BootstrapError } from '../errors.js';

/** How to reach AWS: the global options every command takes. */
export interface AwsOptions {
  /** A named profile from ~/.aws/config or ~/.aws/credentials. */
  profile?: string;
  /** The region for regional calls; IAM and Budgets are global and ignore it. */
  region?: string;
  /** Send every call here instead of AWS (an emulator such as moto). The SDK's AWS_ENDPOINT_URL also works. */
  endpointUrl?: string;
  /** For library callers that hold credentials already; the CLI always uses the standard chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * A dry run: every client refuses any operation that is not a read (Get*, List*, Describe*), before it is
   * sent. A guarantee that does not depend on each step remembering to check.
   */
  readOnly?: boolean;
  /** --debug: the call log shows each request and response too, secrets redacted. */
  debug?: boolean;
  /**
   * One run's read cache (see read-cache.ts): an identical read is sent once, and any write forgets every read.
   * For `init`, whose steps read some of the same things, and for a read plan (read-plan.ts): the reads it sends
   * ahead wait there for the run to ask for them.
   */
  readCache?: boolean;
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function validateRegion(value: string): string {
  if (!REGION_PATTERN.test(value)) {
    throw new BootstrapError(
      'USAGE',
      `--region: "${value}" is not an AWS region name (expected something like us-east-1 or eu-west-2).`,
    );
  }
  return value;
}

export function validateEndpointUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BootstrapError('USAGE', `--endpoint-url: "${value}" is not a URL (expected e.g. http://127.0.0.1:5000).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BootstrapError('USAGE', `--endpoint-url: "${value}" must start with http:// or https://.`);
  }
  return value;
}

export function validateProfile(value: string): string {
  if (value.trim() === '') throw new BootstrapError('USAGE', '--profile: the profile name is empty.');
  return value;
}
