import { GetLoginProfileCommand } from '@aws-sdk/client-iam';
import { existsSync } from 'node:fs';
import { namedCall } from '../aws/aws-error.js';
import { absentIfNoSuchEntity } from '../aws/aws-error-names.js';
import type { AwsClients } from '../aws/client-factory.js';
import { BootstrapError } from '../errors.js';
import type { BootstrapConfig } from './config-types.js';

/**
 * Before any write: a password that is about to be generated must have somewhere to go. If the password file
 * exists already and the user still has no console password, the run would set a password it cannot hand over,
 * so it stops here. (A user who has a console password gets no new one: then an old file is no obstacle.)
 */
export async function checkPasswordFileBeforeWrites(config: BootstrapConfig, clients: AwsClients): Promise<void> {
  const user = config.adminUser;
  if (!user || user.password !== 'generate' || !user.passwordFile || !existsSync(user.passwordFile)) return;
  const profile = await absentIfNoSuchEntity(
    namedCall('iam:GetLoginProfile', () => clients.iam().send(new GetLoginProfileCommand({ UserName: user.name }))),
  );
  if (profile !== undefined) return;
  throw new BootstrapError(
    'CONFIG_INVALID',
    `adminUser.passwordFile: ${user.passwordFile} already exists; aws-bootstrap never overwrites a password file. ` +
      'Move it away (or name another file) and run again.',
  );
}
