/** The AWS partitions aws-bootstrap knows: every ARN, console link and global endpoint depends on it. */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

interface PartitionFacts {
  /** Where the partition's global services (IAM, Budgets) live. */
  globalRegion: string;
  consoleHost: string;
  signInDomain: string;
}

const FACTS: Record<Partition, PartitionFacts> = {
  aws: { globalRegion: 'us-east-1', consoleHost: 'console.aws.amazon.com', signInDomain: 'signin.aws.amazon.com' },
  'aws-cn': { globalRegion: 'cn-northwest-1', consoleHost: 'console.amazonaws.cn', signInDomain: 'signin.amazonaws.cn' },
  'aws-us-gov': {
    globalRegion: 'us-gov-west-1',
    consoleHost: 'console.amazonaws-us-gov.com',
    signInDomain: 'signin.amazonaws-us-gov.com',
  },
};

export function partitionOfRegion(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function globalRegionOf(partition: Partition): string {
  return FACTS[partition].globalRegion;
}

export function adminPolicyArn(partition: Partition): string {
  return `arn:${partition}:iam::aws:policy/AdministratorAccess`;
}

/** A console page: `path` starts after the host, e.g. `/iam/home#/security_credentials`. */
export function consoleUrl(partition: Partition, path: string): string {
  return `https://${FACTS[partition].consoleHost}${path}`;
}

/** The IAM users' sign-in page: by alias when there is one, else by the 12-digit account id. */
export function signInUrl(partition: Partition, aliasOrAccountId: string): string {
  return `https://${aliasOrAccountId}.${FACTS[partition].signInDomain}/console`;
}
