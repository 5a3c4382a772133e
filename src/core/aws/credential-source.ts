import type { AwsCredentialIdentity } from '@smithy/types';

/** The SDK marks resolved credentials with the provider that produced them (`$source`); names for people. */
const SOURCE_NAMES: Record<string, string> = {
  CREDENTIALS_CODE: 'credentials passed in code',
  CREDENTIALS_ENV_VARS: 'environment variables (AWS_ACCESS_KEY_ID)',
  CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN: 'web identity token from the environment',
  CREDENTIALS_STS_ASSUME_ROLE: 'an assumed role',
  CREDENTIALS_STS_ASSUME_ROLE_WEB_ID: 'an assumed role (web identity)',
  CREDENTIALS_PROFILE: 'a profile in ~/.aws',
  CREDENTIALS_PROFILE_SOURCE_PROFILE: 'a profile with source_profile (assumed role)',
  CREDENTIALS_PROFILE_NAMED_PROVIDER: 'a profile with credential_source',
  CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN: 'a profile with a web identity token',
  CREDENTIALS_PROFILE_SSO: 'a profile using IAM Identity Center (SSO)',
  CREDENTIALS_PROFILE_SSO_LEGACY: 'a profile using legacy SSO settings',
  CREDENTIALS_SSO: 'IAM Identity Center (SSO)',
  CREDENTIALS_SSO_LEGACY: 'legacy SSO',
  CREDENTIALS_PROFILE_PROCESS: 'a profile with credential_process',
  CREDENTIALS_PROCESS: 'credential_process',
  CREDENTIALS_HTTP: 'the container credentials endpoint (CloudShell, ECS, Lambda)',
  CREDENTIALS_IMDS: 'EC2 instance metadata',
  CREDENTIALS_PROFILE_LOGIN: 'a profile using `aws login`',
  CREDENTIALS_LOGIN: '`aws login`',
};

/** E.g. "environment variables (AWS_ACCESS_KEY_ID), session credentials"; never a key or secret. */
export function describeCredentialSource(credentials: AwsCredentialIdentity): string {
  const marks = Object.keys((credentials as { $source?: Record<string, string> }).$source ?? {});
  const names = marks.map((m) => SOURCE_NAMES[m] ?? m);
  const kind = credentials.sessionToken ? 'temporary (session) credentials' : 'long-term access key';
  return `${names.length > 0 ? names.join(' via ') : 'unknown provider'}; ${kind}`;
}
