import {
  CreateVirtualMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  ListMFADevicesCommand,
  paginateListVirtualMFADevices,
  type VirtualMFADevice,
} from '@aws-sdk/client-iam';
import { namedCall } from '../aws/aws-error.js';
import { isAwsErrorNamed, absentIfNoSuchEntity } from '../aws/aws-error-names.js';
import type { AwsClients } from '../aws/client-factory.js';
import { BootstrapError } from '../errors.js';
import type { Change } from '../init/init-report.js';
import { validateUserName } from './admin-user.init.js';
import type { InitContext, PrefetchContext, StepInit, StepOutcome } from './step.js';
import { checkCodePair, normalizeCode, otpauthUri, seedToBase32, validateCodeFormat } from './totp.js';
import { readAlias } from './account-alias.init.js';

/** Rounds of "enter two codes" before the step gives up and removes the device it made. */
export const MAX_CODE_ATTEMPTS = 3;

/** The device is named after its user, at the default path: `arn:<partition>:iam::<account>:mfa/<user>`. */
export function virtualMfaSerial(partition: string, accountId: string, userName: string): string {
  return `arn:${partition}:iam::${accountId}:mfa/${userName}`;
}

/** The name an authenticator app shows above the codes: which AWS account this is. */
export function mfaIssuer(aliasOrAccountId: string): string {
  return `AWS ${aliasOrAccountId}`;
}

/** Pure: the writes that give `userName` a virtual MFA device. Details name the device, never its seed. */
export function planMfaEnrolment(input: {
  userName: string;
  hasMfa: boolean;
  serial: string;
  orphanSerial?: string | undefined;
}): Change[] {
  if (input.hasMfa) return [];
  const device = `iam:mfa/${input.userName}`;
  const changes: Change[] = [];
  if (input.orphanSerial !== undefined) {
    changes.push({ action: 'delete', target: device, detail: `virtual MFA device ${input.orphanSerial}` });
  }
  changes.push({ action: 'create', target: device, detail: `virtual MFA device ${input.serial}` });
  changes.push({ action: 'attach', target: `iam:user/${input.userName}`, detail: `virtual MFA device ${input.serial}` });
  return changes;
}

async function userExists(clients: AwsClients, userName: string): Promise<boolean> {
  const user = await absentIfNoSuchEntity(
    namedCall('iam:GetUser', () => clients.iam().send(new GetUserCommand({ UserName: userName }))),
  );
  return user !== undefined;
}

/** Serial numbers of the user's MFA devices of any kind (virtual, security key, hardware). */
async function userMfaSerials(clients: AwsClients, userName: string): Promise<string[]> {
  // A user has at most 8 MFA devices: one page is all there is.
  const out = await namedCall('iam:ListMFADevices', () =>
    clients.iam().send(new ListMFADevicesCommand({ UserName: userName })),
  );
  return (out.MFADevices ?? []).map((d) => d.SerialNumber ?? '');
}

/** An unassigned virtual device named after the user: what an aborted earlier run leaves behind. */
async function findOrphanDevice(clients: AwsClients, userName: string): Promise<string | undefined> {
  const suffix = `:mfa/${userName}`;
  return namedCall('iam:ListVirtualMFADevices', async () => {
    const pages = paginateListVirtualMFADevices({ client: clients.iam() }, { AssignmentStatus: 'Unassigned' });
    for await (const page of pages) {
      const found = page.VirtualMFADevices?.find((d) => d.SerialNumber?.endsWith(suffix));
      if (found?.SerialNumber) return found.SerialNumber;
    }
    return undefined;
  });
}

function deleteDevice(clients: AwsClients, serial: string): Promise<unknown> {
  return namedCall('iam:DeleteVirtualMFADevice', () =>
    clients.iam().send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })),
  );
}

async function createDevice(clients: AwsClients, userName: string): Promise<VirtualMFADevice> {
  try {
    const out = await namedCall('iam:CreateVirtualMFADevice', () =>
      clients.iam().send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: userName })),
    );
    if (!out.VirtualMFADevice?.SerialNumber) throw new Error('CreateVirtualMFADevice returned no device.');
    return out.VirtualMFADevice;
  } catch (error) {
    if (!isAwsErrorNamed(error, 'EntityAlreadyExists')) throw error;
    throw new BootstrapError(
      'AWS_ERROR',
      `A virtual MFA device named "${userName}" already exists and is assigned to another user. Remove it from ` +
        'that user (IAM console, the user\'s "Security credentials" tab), then run ' +
        '`aws-bootstrap init --only admin-user-mfa` again.',
      { cause: error },
    );
  }
}

/**
 * Asks for two consecutive codes until they pass the local check and AWS accepts them, at most
 * MAX_CODE_ATTEMPTS rounds. Returns false when every round failed.
 */
async function enrol(
  context: InitContext,
  input: { userName: string; serial: string; secret: string; entryName: string },
): Promise<boolean> {
  const { clients, io } = context;
  for (let attempt = 1; attempt <= MAX_CODE_ATTEMPTS; attempt += 1) {
    const code1 = normalizeCode(
      await io.text({ id: 'admin-user-mfa.code1', message: 'Code shown now in the app', validate: validateCodeFormat }),
    );
    // "Now" is when the first code was read off the phone, not after the wait for the second.
    const firstCodeAt = Date.now();
    const code2 = normalizeCode(
      await io.text({
        id: 'admin-user-mfa.code2',
        message: 'Next code (wait until the first one changes)',
        validate: validateCodeFormat,
      }),
    );
    const left = MAX_CODE_ATTEMPTS - attempt;
    const again = left > 0 ? ` Try again (${left} ${left === 1 ? 'try' : 'tries'} left).` : '';
    const verdict = checkCodePair(input.secret, code1, code2, firstCodeAt, input.entryName);
    if (!verdict.ok) {
      io.warn(`${verdict.message}${again}`);
      continue;
    }
    try {
      await namedCall('iam:EnableMFADevice', () =>
        clients.iam().send(
          new EnableMFADeviceCommand({
            UserName: input.userName,
            SerialNumber: input.serial,
            AuthenticationCode1: code1,
            AuthenticationCode2: code2,
          }),
        ),
      );
      return true;
    } catch (error) {
      if (!isAwsErrorNamed(error, 'InvalidAuthenticationCode')) throw error;
      io.warn(
        'AWS did not accept the codes, although they match the secret key here: they probably expired before ' +
          `they reached AWS. Enter the code shown now and the next one, without waiting.${again}`,
      );
    }
  }
  return false;
}

export const adminUserMfaInit: StepInit = {
  why:
    'A password alone can be phished, guessed or leaked. With MFA, signing in as this admin also needs a ' +
    '6-digit code from an app on your phone that changes every 30 seconds.',
  async prefetch(context: PrefetchContext) {
    const { clients, io } = context;
    const userName = io.knownAnswer?.('admin-user.name') ?? io.knownAnswer?.('admin-user-mfa.user');
    if (userName === undefined || validateUserName(userName) !== true) return;
    const [exists, serials] = await Promise.all([
      userExists(clients, userName),
      userMfaSerials(clients, userName),
      context.reader.read('caller'),
    ]);
    if (exists && serials.length === 0) await Promise.all([readAlias(clients), findOrphanDevice(clients, userName)]);
  },
  async run(context: InitContext): Promise<StepOutcome> {
    const { clients, io, partition } = context;
    const fromEarlierStep = context.shared.adminUserName;
    const userName =
      fromEarlierStep ??
      (await io.text({ id: 'admin-user-mfa.user', message: 'IAM user to protect with MFA', validate: validateUserName }));

    const caller = await context.reader.read('caller');
    const expectedSerial = virtualMfaSerial(partition, caller.accountId, userName);
    if (!(await userExists(clients, userName))) {
      // In a dry run the admin-user step only planned the user: plan its MFA too.
      if (context.dryRun && fromEarlierStep !== undefined) {
        return { status: 'planned', changes: planMfaEnrolment({ userName, hasMfa: false, serial: expectedSerial }) };
      }
      throw new BootstrapError(
        'USAGE',
        `The IAM user "${userName}" does not exist in this account. Create it first ` +
          '(`aws-bootstrap init --only admin-group,admin-user`), or give the name of an existing user.',
      );
    }

    const existing = await userMfaSerials(clients, userName);
    if (existing.length > 0) {
      io.info(`${userName} already has MFA (${existing.join(', ')}): left as it is.`);
      return { status: 'unchanged', changes: [] };
    }

    // Fresh, not the run's shared reader: the account-alias step may have just set it.
    const [alias, orphanSerial] = await Promise.all([readAlias(clients), findOrphanDevice(clients, userName)]);
    const planned = planMfaEnrolment({ userName, hasMfa: false, serial: expectedSerial, orphanSerial });
    io.info(`${userName} has no MFA device yet: a virtual MFA device (an authenticator app on your phone) will be set up.`);
    if (orphanSerial !== undefined) {
      io.info(`An unassigned MFA device ${orphanSerial} was left by an earlier, unfinished run: it is replaced by a new one.`);
    }
    if (context.dryRun) return { status: 'planned', changes: planned };

    const ok = await io.confirm({
      id: 'admin-user-mfa.confirm',
      message: `Set up MFA for "${userName}" now? Have your phone with an authenticator app at hand.`,
      default: true,
    });
    if (!ok) {
      context.facts.leftToDo.push(`Give ${userName} an MFA device: run \`aws-bootstrap init --only admin-user-mfa\`.`);
      return { status: 'skipped', changes: [] };
    }

    const changes: Change[] = [];
    const record = (change: Change) => {
      changes.push(change);
      context.record(change);
    };
    if (orphanSerial !== undefined) {
      await deleteDevice(clients, orphanSerial);
      record(planned[0]!);
    }
    const device = await createDevice(clients, userName);
    const serial = device.SerialNumber!;
    const [createChange, attachChange] = planMfaEnrolment({ userName, hasMfa: false, serial });
    record(createChange!);

    const removeDevice = async (): Promise<boolean> => {
      const removed = await deleteDevice(clients, serial).then(
        () => true,
        () => false,
      );
      if (removed) record({ action: 'delete', target: createChange!.target, detail: createChange!.detail });
      return removed;
    };
    let enrolled: boolean;
    try {
      const secret = seedToBase32(device.Base32StringSeed);
      const issuer = mfaIssuer(alias ?? caller.accountId);
      io.info(
        'Open an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password, ' +
          `Authy, ...), add an account and scan this QR code. It holds the key to ${userName}'s codes: do not ` +
          'photograph or share it.',
      );
      io.showQrCode(otpauthUri({ issuer, accountName: userName, secret }));
      io.showSecret('Secret key (for apps that cannot scan)', secret);
      io.info(
        `The app now shows "${issuer}" (${userName}) with a 6-digit code that changes every 30 seconds. ` +
          'Enter the code shown now, then wait for it to change and enter the next one.',
      );
      enrolled = await enrol(context, { userName, serial, secret, entryName: `the "${issuer}" entry for ${userName}` });
    } catch (error) {
      // Ctrl-C: the device stays, unassigned, as the interruption note says; the next run replaces it.
      if (!(error instanceof BootstrapError && error.code === 'INTERRUPTED')) await removeDevice();
      throw error;
    }
    if (!enrolled) {
      const removed = await removeDevice();
      throw new BootstrapError(
        'AWS_ERROR',
        `The codes did not work after ${MAX_CODE_ATTEMPTS} tries, so ${userName} still has no MFA` +
          (removed
            ? ' and the new MFA device was removed. '
            : `; the new MFA device ${serial} could not be removed (the next run replaces it). `) +
          "Check that your phone's date and time are set automatically, delete the app entry you just added, " +
          'then run `aws-bootstrap init --only admin-user-mfa` again and scan the new QR code.',
      );
    }
    record(attachChange!);

    const verified = await userMfaSerials(clients, userName);
    if (!verified.includes(serial)) {
      throw new BootstrapError('AWS_ERROR', `ListMFADevices does not show ${serial} for ${userName} after EnableMFADevice.`);
    }
    io.info(`MFA is on for ${userName}: from now on, signing in needs a code from the app.`);
    return { status: 'created', changes };
  },
};
