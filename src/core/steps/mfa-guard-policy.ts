import type { Partition } from '../aws/partition.js';

/** The customer managed policy aws-bootstrap creates and keeps up to date: one per account. */
export const GUARD_POLICY_NAME = 'aws-bootstrap-require-mfa';
export const GUARD_POLICY_PATH = '/aws-bootstrap/';
export const GUARD_POLICY_DESCRIPTION =
  'Managed by aws-bootstrap: without MFA, denies everything except setting up MFA and changing the own password.';

export function guardPolicyArn(partition: Partition, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:policy${GUARD_POLICY_PATH}${GUARD_POLICY_NAME}`;
}

/**
 * Actions a user signed in without MFA may still call: enough to enrol an MFA device, and to change a
 * password they were told to reset at first sign-in. Everything else is denied until they sign in with MFA.
 */
export const ALLOWED_WITHOUT_MFA = [
  'iam:CreateVirtualMFADevice',
  'iam:EnableMFADevice',
  'iam:GetUser',
  'iam:ListMFADevices',
  'iam:ListVirtualMFADevices',
  'iam:ResyncMFADevice',
  'sts:GetSessionToken',
  'iam:ChangePassword',
  'iam:GetAccountPasswordPolicy',
] as const;

/** An IAM policy document, as far as aws-bootstrap writes and compares them. */
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Record<string, unknown>[];
}

/**
 * The MFA guard. Modelled on AWS's documented example "IAM: Allows IAM users to self-manage an MFA device"
 * (IAM User Guide, reference_policies_examples_iam_mfa-selfmanage): allow statements that let a user manage
 * their own MFA device, plus their own password, and the statement `BlockMostAccessUnlessSignedInWithMFA`,
 * which denies every other action while `aws:MultiFactorAuthPresent` is false or absent (`BoolIfExists`
 * also covers long-term access keys, which never carry the key).
 *
 * Attached next to AdministratorAccess, the Deny wins over the Allow: an admin who has not signed in with MFA
 * can do nothing but set up MFA and change their password. The account part of ARNs is `*` as in the AWS
 * example: identity policies only ever apply inside their own account.
 */
export function guardPolicyDocument(partition: Partition): PolicyDocument {
  const ownUser = `arn:${partition}:iam::*:user/\${aws:username}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowViewAccountInfo',
        Effect: 'Allow',
        Action: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices'],
        Resource: '*',
      },
      {
        Sid: 'AllowManageOwnPassword',
        Effect: 'Allow',
        Action: ['iam:ChangePassword', 'iam:GetUser'],
        Resource: ownUser,
      },
      {
        Sid: 'AllowUserToCreateVirtualMFADevice',
        Effect: 'Allow',
        Action: ['iam:CreateVirtualMFADevice'],
        Resource: `arn:${partition}:iam::*:mfa/*`,
      },
      {
        Sid: 'AllowUserToManageTheirOwnMFA',
        Effect: 'Allow',
        Action: ['iam:EnableMFADevice', 'iam:GetMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice'],
        Resource: ownUser,
      },
      {
        Sid: 'AllowUserToDeactivateTheirOwnMFAOnlyWhenUsingMFA',
        Effect: 'Allow',
        Action: ['iam:DeactivateMFADevice'],
        Resource: ownUser,
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
      {
        Sid: 'BlockMostAccessUnlessSignedInWithMFA',
        Effect: 'Deny',
        NotAction: [...ALLOWED_WITHOUT_MFA],
        Resource: '*',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
    ],
  };
}

/**
 * Parses a policy document as IAM returns it: URL-encoded JSON (GetPolicyVersion). Plain JSON (as some
 * emulators return it) is accepted too. Undefined when it is not JSON at all.
 */
export function parsePolicyDocument(raw: string): unknown {
  try {
    const text = raw.trimStart().startsWith('{') ? raw : decodeURIComponent(raw);
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Structural equality of two parsed JSON values: object key order does not matter, array order does. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}
