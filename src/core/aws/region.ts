import { partition as sdkPartition } from '@aws-sdk/core/client';
import { globalRegionOf, partitionOfRegion } from './partition.js';

/**
 * What the SDK's own partition data (the table its endpoint rules use) says about region names. Only for
 * advice after a failure: a region this version does not know may simply be newer, so nothing is refused.
 */

/** True when the SDK's partition data lists the region (it then carries a description, e.g. "Europe (Ireland)"). */
export function isKnownRegion(region: string): boolean {
  return typeof (sdkPartition(region) as { description?: unknown }).description === 'string';
}

const GEOGRAPHIES = ['us', 'eu', 'ap', 'sa', 'ca', 'me', 'af', 'il', 'mx', 'cn', 'us-gov'];
const DIRECTIONS = ['east', 'west', 'north', 'south', 'central', 'northeast', 'northwest', 'southeast', 'southwest'];

let known: string[] | undefined;

/**
 * The commercial, China and GovCloud regions the SDK knows. Its table is not exported as a list, only as a
 * lookup: every `<geography>-<direction>-<n>` name is looked up (under a millisecond, and only on the error path).
 */
export function knownRegions(): readonly string[] {
  known ??= GEOGRAPHIES.flatMap((g) => DIRECTIONS.flatMap((d) => Array.from({ length: 9 }, (_, i) => `${g}-${d}-${i + 1}`))).filter(
    isKnownRegion,
  );
  return known;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The known region closest to a name the SDK does not know (`eu-wset-1` -> `eu-west-1`), if one is close. */
export function closestKnownRegion(region: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of knownRegions()) {
    const distance = editDistance(region, name);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/**
 * The regions every AWS account has enabled. Regions launched since March 2019 are opt-in: disabled until the
 * account enables them, and AWS then answers calls there as if the credentials were invalid. This list is
 * history and does not grow; any region not on it (including ones newer than this version) may be opt-in.
 */
const ENABLED_BY_DEFAULT = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-south-1',
]);

export function mayBeOptInRegion(region: string): boolean {
  return partitionOfRegion(region) === 'aws' && !ENABLED_BY_DEFAULT.has(region);
}

const PARTITION_NAMES = { 'aws-cn': 'AWS China', 'aws-us-gov': 'AWS GovCloud (US)' } as const;

/** Where the region came from, for messages: `--region`, `AWS_REGION`, `profile "work"`, or the built-in default. */
export type RegionSource = string;

export interface RegionFacts {
  region: string;
  source: RegionSource;
}

const from = (r: RegionFacts) => `"${r.region}" (from ${r.source})`;

/**
 * A host that could not be resolved: when the region is not one the SDK knows, the likely cause is the region
 * name itself, not the network. Undefined when the region is known (then it is a network or DNS problem).
 */
export function unknownRegionAdvice(r: RegionFacts): string | undefined {
  if (isKnownRegion(r.region)) return undefined;
  const suggestion = closestKnownRegion(r.region);
  const fix = suggestion
    ? `did you mean ${suggestion}? Run with --region ${suggestion}`
    : `check the name, or run with --region ${globalRegionOf(partitionOfRegion(r.region))}`;
  return (
    `The region ${from(r)} has no AWS endpoint that resolves, and it is not a region this version of aws-bootstrap ` +
    `knows: ${fix}${r.source === '--region' ? '' : ` (or correct ${r.source})`}. IAM and Budgets are global, so any ` +
    'region you can use works. If it is a region newer than this version, the cause is the network or DNS instead.'
  );
}

/**
 * Credentials rejected in a region where that may be the region's doing rather than the credentials': another
 * partition (China, GovCloud: accounts and credentials of their own), or a region that may be opt-in and not
 * enabled for this account. Undefined for a region every account has enabled.
 */
export function rejectedInRegionAdvice(r: RegionFacts): string | undefined {
  const partition = partitionOfRegion(r.region);
  const other = r.source === '--region' ? '--region us-east-1' : `--region us-east-1 (or correct ${r.source})`;
  if (partition !== 'aws') {
    return (
      `The region ${from(r)} is in the ${PARTITION_NAMES[partition]} partition (${partition}), which has accounts and ` +
      'credentials of its own: credentials of a standard AWS account are invalid there. For a standard account, run ' +
      `with ${other}; for an ${partition} account, use its credentials (if they are, they are invalid or expired: refresh them).`
    );
  }
  if (!mayBeOptInRegion(r.region)) return undefined;
  return (
    `The region ${from(r)} may be an opt-in region that is not enabled for this account: AWS answers calls there as ` +
    'if the credentials were invalid. Enable it (console: Account, "AWS Regions") or run with ' +
    `${other}: IAM and Budgets are global, so any enabled region works. If the credentials fail in every region, ` +
    'they are invalid or expired: refresh them (`aws sso login`, new session credentials, or the access key in your profile).'
  );
}
