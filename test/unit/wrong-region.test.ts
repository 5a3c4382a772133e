import { BudgetsClient } from '@aws-sdk/client-budgets';
import { GetAccountSummaryCommand, IAMClient, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsCallError, toBootstrapError, type AwsErrorContext } from '../../src/core/aws/aws-error.js';
import { validateRegion } from '../../src/core/aws/aws-options.js';
import { createAwsClients } from '../../src/core/aws/client-factory.js';
import { closestKnownRegion, isKnownRegion, knownRegions } from '../../src/core/aws/region.js';
import { runCheck } from '../../src/core/check/run-check.js';
import { BootstrapError } from '../../src/core/errors.js';
import { RecordingIoHost } from '../support/recording-io-host.js';

const named = (name: string, message: string, extra: object = {}) => Object.assign(new Error(message), { name, ...extra });

/** What Node reports when a host name does not resolve, as the SDK passes it on. */
const dnsFailure = (host: string) =>
  named('Error', `getaddrinfo ENOTFOUND ${host}`, { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname: host });

/** What STS answers for credentials it does not accept (and for any credentials in a region the account has not enabled). */
const invalidToken = () =>
  named('InvalidClientTokenId', 'The security token included in the request is invalid.', {
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
  });

const inRegion = (region: string, source = '--region'): AwsErrorContext => ({ region: { region, source } });

/** One paragraph: a single line, exit 3. */
function paragraph(error: BootstrapError): string {
  expect(error.exitCode).toBe(3);
  expect(error.message).not.toContain('\n');
  return error.message;
}

describe("the SDK's region table", () => {
  it('knows the regions of every partition, and a typo is not one of them', () => {
    expect(knownRegions()).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-east-1', 'cn-north-1', 'us-gov-west-1']));
    expect(knownRegions().length).toBeGreaterThan(30);
    expect(isKnownRegion('eu-central-2')).toBe(true);
    expect(isKnownRegion('eu-wset-1')).toBe(false);
  });

  it('suggests the closest known region for a typo, and nothing for a name far from every region', () => {
    expect(closestKnownRegion('eu-wset-1')).toBe('eu-west-1');
    expect(closestKnownRegion('us-esat-1')).toBe('us-east-1');
    expect(closestKnownRegion('ap-southeast-22')).toBe('ap-southeast-2');
    expect(closestKnownRegion('xy-nowhere-7')).toBeUndefined();
  });

  it('does not refuse a well-formed region it does not know: AWS adds regions', () => {
    expect(isKnownRegion('eu-east-9')).toBe(false);
    expect(validateRegion('eu-east-9')).toBe('eu-east-9');
  });
});

describe('a wrong region: exit 3 and one paragraph with the region, its source, the cause and the fix', () => {
  it('AWS: a typo region has no regional STS endpoint (getaddrinfo ENOTFOUND sts.eu-wset-1.amazonaws.com)', () => {
    const error = toBootstrapError(new AwsCallError('sts:GetCallerIdentity', dnsFailure('sts.eu-wset-1.amazonaws.com')), inRegion('eu-wset-1'));
    expect(error.code).toBe('AWS_NETWORK');
    const text = paragraph(error);
    expect(text).toContain('"eu-wset-1" (from --region)');
    expect(text).toContain('not a region this version of aws-bootstrap knows');
    expect(text).toContain('did you mean eu-west-1? Run with --region eu-west-1');
    expect(text).toContain('ENOTFOUND sts.eu-wset-1.amazonaws.com');
  });

  it('names the environment variable or the profile the typo came from, as the thing to correct', () => {
    const fromEnv = toBootstrapError(new AwsCallError('sts:GetCallerIdentity', dnsFailure('sts.us-esat-1.amazonaws.com')), inRegion('us-esat-1', 'AWS_REGION'));
    expect(paragraph(fromEnv)).toContain('"us-esat-1" (from AWS_REGION)');
    expect(fromEnv.message).toContain('--region us-east-1 (or correct AWS_REGION)');
    const fromProfile = toBootstrapError(dnsFailure('sts.eu-wset-1.amazonaws.com'), inRegion('eu-wset-1', 'profile "work"'));
    expect(paragraph(fromProfile)).toContain('(or correct profile "work")');
  });

  it('AWS: a known region that does not resolve is the network (DNS, offline), not the region name', () => {
    const error = toBootstrapError(new AwsCallError('sts:GetCallerIdentity', dnsFailure('sts.eu-west-1.amazonaws.com')), inRegion('eu-west-1'));
    expect(error.code).toBe('AWS_NETWORK');
    const text = paragraph(error);
    expect(text).toContain('Could not reach AWS for sts:GetCallerIdentity in the region eu-west-1 (from --region)');
    expect(text).toContain('check the network connection');
    expect(text).not.toContain('did you mean');
  });

  it('leaves the region out when an endpoint override is in force: then the endpoint is what did not resolve', () => {
    const error = toBootstrapError(new AwsCallError('sts:GetCallerIdentity', dnsFailure('moto.local')), {
      ...inRegion('eu-wset-1'),
      endpoint: 'http://moto.local:5000',
    });
    expect(paragraph(error)).toContain('Could not reach AWS at http://moto.local:5000');
    expect(error.message).not.toContain('eu-wset-1');
  });

  it('AWS: an opt-in region the account has not enabled makes STS answer InvalidClientTokenId', () => {
    const error = toBootstrapError(new AwsCallError('sts:GetCallerIdentity', invalidToken()), inRegion('ap-east-1', 'profile "work"'));
    expect(error.code).toBe('AWS_INVALID_CREDENTIALS');
    const text = paragraph(error);
    expect(text).toContain('"ap-east-1" (from profile "work") may be an opt-in region that is not enabled for this account');
    expect(text).toContain('Enable it');
    expect(text).toContain('--region us-east-1 (or correct profile "work")');
    expect(text).toContain('If the credentials fail in every region, they are invalid or expired');
  });

  it('AWS: InvalidClientTokenId in a region every account has enabled is the credentials, not the region', () => {
    const error = toBootstrapError(new AwsCallError('sts:GetCallerIdentity', invalidToken()), inRegion('eu-west-1'));
    expect(paragraph(error)).toContain('they are invalid or expired');
    expect(error.message).not.toContain('opt-in');
    // IAM is global (signed for us-east-1 whatever the region): its rejection says nothing about an opt-in region.
    const global = toBootstrapError(new AwsCallError('iam:GetAccountSummary', invalidToken()), inRegion('ap-east-1'));
    expect(global.message).not.toContain('opt-in');
  });

  it.each([
    ['cn-north-1', 'AWS China partition (aws-cn)'],
    ['us-gov-west-1', 'AWS GovCloud (US) partition (aws-us-gov)'],
  ])('AWS: standard credentials in %s (another partition) are invalid on every call, IAM included', (region, partition) => {
    const error = toBootstrapError(new AwsCallError('iam:GetAccountSummary', invalidToken()), inRegion(region, 'AWS_REGION'));
    expect(error.code).toBe('AWS_INVALID_CREDENTIALS');
    const text = paragraph(error);
    expect(text).toContain(`"${region}" (from AWS_REGION) is in the ${partition}`);
    expect(text).toContain('credentials of a standard AWS account are invalid there');
    expect(text).toContain('--region us-east-1 (or correct AWS_REGION)');
  });

  it('AWS: a region whose STS endpoint the account deactivated answers RegionDisabledException', () => {
    const disabled = named('RegionDisabledException', 'STS is not activated in this region for account:111122223333.', {
      $metadata: { httpStatusCode: 403 },
    });
    const error = toBootstrapError(new AwsCallError('sts:GetCallerIdentity', disabled), inRegion('eu-west-3', 'AWS_REGION'));
    const text = paragraph(error);
    expect(text).toContain('STS is not activated in the region eu-west-3 (from AWS_REGION)');
    expect(text).toContain('--region us-east-1');
  });
});

describe('check in an opt-in region the account has not enabled (aws-sdk-client-mock standing in for STS)', () => {
  const sts = mockClient(STSClient);
  const iam = mockClient(IAMClient);
  const budgets = mockClient(BudgetsClient);
  afterEach(() => {
    sts.reset();
    iam.reset();
    budgets.reset();
  });

  it('AWS: regional STS rejects the token while global IAM accepts it; the run stops with the region advice', async () => {
    sts.on(GetCallerIdentityCommand).rejects(invalidToken());
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 } });
    iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: [] });
    const clients = await createAwsClients(
      { region: 'me-central-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } },
      new RecordingIoHost(),
    );
    const failure = await runCheck(clients, new RecordingIoHost()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BootstrapError);
    const text = paragraph(failure as BootstrapError);
    expect(text).toMatch(/^AWS rejected the credentials on sts:GetCallerIdentity\. /);
    expect(text).toContain('"me-central-1" (from --region) may be an opt-in region');
  });
});
