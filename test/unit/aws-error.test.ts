import { describe, expect, it } from 'vitest';
import { AwsCallError, awsErrorKind, describeAwsError, isFatalAwsError, toBootstrapError } from '../../src/core/aws/aws-error.js';

const named = (name: string, message = 'm', extra: object = {}) => Object.assign(new Error(message), { name, ...extra });

describe('AWS error classification', () => {
  it.each([
    [named('CredentialsProviderError', 'Could not load credentials from any providers'), 'no-credentials'],
    [named('CredentialsProviderError', 'The SSO session associated with this profile has expired'), 'invalid-credentials'],
    [named('ExpiredToken'), 'invalid-credentials'],
    [named('InvalidClientTokenId'), 'invalid-credentials'],
    [named('SignatureDoesNotMatch'), 'invalid-credentials'],
    [named('AccessDenied'), 'access-denied'],
    [named('AccessDeniedException'), 'access-denied'],
    [named('Error', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' }), 'network'],
    [named('AggregateError', '', { errors: [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED ::1:5' }] }), 'network'],
    [named('TimeoutError'), 'network'],
    [named('Error', 'getaddrinfo ENOTFOUND iam.amazonaws.com', { code: 'ENOTFOUND' }), 'network'],
    [named('NoSuchEntityException'), 'other'],
  ])('%s is %s', (error, kind) => {
    expect(awsErrorKind(error)).toBe(kind);
    expect(awsErrorKind(new AwsCallError('iam:X', error))).toBe(kind);
  });

  it('treats credential and network failures as fatal for the whole run, access denied as per-control', () => {
    expect(isFatalAwsError(named('ExpiredToken'))).toBe(true);
    expect(isFatalAwsError(named('Error', '', { code: 'ECONNRESET' }))).toBe(true);
    expect(isFatalAwsError(named('AccessDenied'))).toBe(false);
  });

  it('maps each kind to a code and exit 3, naming the call and the endpoint', () => {
    const denied = toBootstrapError(new AwsCallError('iam:GetAccountSummary', named('AccessDenied', 'not authorized')));
    expect(denied).toMatchObject({ code: 'AWS_ACCESS_DENIED', exitCode: 3 });
    expect(denied.message).toContain('Add iam:GetAccountSummary to its IAM policy');
    const network = toBootstrapError(named('Error', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' }), {
      endpoint: 'http://127.0.0.1:9',
    });
    expect(network).toMatchObject({ code: 'AWS_NETWORK', exitCode: 3 });
    expect(network.message).toContain('http://127.0.0.1:9');
    expect(toBootstrapError(named('Throttling', 'Rate exceeded'))).toMatchObject({ code: 'AWS_ERROR', exitCode: 3 });
  });

  it('describes an AggregateError (Node happy eyeballs) by its inner message', () => {
    const e = named('AggregateError', '', { errors: [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' }] });
    expect(describeAwsError(e)).toBe('AggregateError: connect ECONNREFUSED 127.0.0.1:9');
  });

  it('names the action AWS denied when it is not the call\'s own (AWS: CreateUser with Tags is also checked against iam:TagUser)', () => {
    const denied = toBootstrapError(
      new AwsCallError(
        'iam:CreateUser',
        named('AccessDenied', 'User: arn:aws:iam::111122223333:user/ops is not authorized to perform: iam:TagUser on resource: arn:aws:iam::111122223333:user/alice because no identity-based policy allows the iam:TagUser action'),
      ),
    );
    expect(denied).toMatchObject({ code: 'AWS_ACCESS_DENIED', exitCode: 3 });
    expect(denied.message).toContain('Access denied on iam:CreateUser');
    expect(denied.message).toContain('Add iam:TagUser to its IAM policy (`aws-bootstrap permissions --for init` prints all it needs)');
  });

  it('does not advise adding an Allow against an explicit Deny (AWS: "with an explicit deny in an identity-based policy", e.g. the MFA guard)', () => {
    const denied = toBootstrapError(
      new AwsCallError(
        'iam:CreateGroup',
        named('AccessDenied', 'User: arn:aws:iam::111122223333:user/alice is not authorized to perform: iam:CreateGroup on resource: arn:aws:iam::111122223333:group/Administrators with an explicit deny in an identity-based policy'),
      ),
    );
    expect(denied).toMatchObject({ code: 'AWS_ACCESS_DENIED', exitCode: 3 });
    expect(denied.message).toContain('by an explicit Deny');
    expect(denied.message).toContain('sign in with MFA');
    expect(denied.message).not.toContain('Add iam:CreateGroup');
    expect(denied.message).toContain('`aws-bootstrap permissions --for init`');
  });
});
