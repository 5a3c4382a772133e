import { GetLoginProfileCommand } from '@aws-sdk/client-iam';
import { existsSync } from 'node:fs';
import { namedCall } from '../aws/aws-error.js';
import { absentIfNoSuchEntity } from '../aws/aws-error-names.js';
import type { AwsClients } from '../aws/client-factory.js';
import { BootstrapError } from '../errors.js';
import type { IoHost } from '../io-host.js';
import type { BootstrapConfig } from './config-types.js';
import { commitPassword, hasPendingPassword } from './password-file.js';

/**
 * Before any write: a password that is about to be generated must have somewhere to go. If the password file
 * exists already and the user still has no console password, the run would set a password it cannot hand over,
 * so it stops here. (A user who has a console password gets no new one: then an old file is no obstacle.)
 * A pending password (password-file.ts) that AWS had set before the earlier run died is moved into the file.
 */
export async function checkPasswordFileBeforeWrites(config: BootstrapConfig, clients: AwsClients, io: IoHost): Promise<void> {
  const user = config.adminUser;
  if (!user || user.password !== 'generate' || !user.passwordFile) return;
  const file = user.passwordFile;
  const pending = hasPendingPassword(file);
  if (!pending && !existsSync(file)) return;
  const profile = await absentIfNoSuchEntity(
    namedCall('iam:GetLoginProfile', () => clients.iam().send(new GetLoginProfileCommand({ UserName: user.name }))),
  );
  if (profile !== undefined) {
    if (pending) {
      io.progress(`An unfinished earlier run set ${user.name}'s console password; it is in ${commitPassword(file)}.`);
    }
    return;
  }
  if (!existsSync(file)) return;
  throw new BootstrapError(
    'CONFIG_INVALID',
    `adminUser.passwordFile: ${user.passwordFile} already exists; aws-bootstrap never overwrites a password file. ` +
      'Move it away (or name another file) and run again.',
  );
}
