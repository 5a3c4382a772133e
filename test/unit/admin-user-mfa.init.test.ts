import {
  CreateVirtualMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListVirtualMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { generateSync } from 'otplib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAwsClients, type AwsClients } from '../../src/core/aws/client-factory.js';
import { BootstrapError } from '../../src/core/errors.js';
import type { Change, InitFacts } from '../../src/core/init/init-report.js';
import { createAccountReader } from '../../src/core/state/account-reader.js';
import { adminUserMfaInit, planMfaEnrolment } from '../../src/core/steps/admin-user-mfa.init.js';
import type { InitContext } from '../../src/core/steps/step.js';
import { RecordingIoHost } from '../support/recording-io-host.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);

const ACCOUNT = '111122223333';
const SERIAL = `arn:aws:iam::${ACCOUNT}:mfa/alice`;
const SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
const OTHER_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
/** 5 s into a 30-second step, so "now" is fixed for the local checks. */
const NOW_MS = Date.UTC(2026, 10, 22, 10, 0, 5);
const N = Math.floor(NOW_MS / 30_000);
const code = (t: number, secret = SECRET) => generateSync({ secret, epoch: t * 30 });

function awsError(name: string, message: string) {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

/** A user without MFA in an account with an alias; the device AWS makes has SECRET as its seed. */
function accountWithUserWithoutMfa() {
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/admin` });
  iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['acme'] });
  iam.on(GetUserCommand).resolves({ User: { UserName: 'alice', Arn: 'arn', UserId: 'id', Path: '/', CreateDate: new Date() } });
  iam
    .on(ListMFADevicesCommand)
    .resolvesOnce({ MFADevices: [] })
    .resolves({ MFADevices: [{ UserName: 'alice', SerialNumber: SERIAL, EnableDate: new Date() }] });
  iam.on(ListVirtualMFADevicesCommand).resolves({ VirtualMFADevices: [], IsTruncated: false });
  iam.on(CreateVirtualMFADeviceCommand).resolves({
    VirtualMFADevice: {
      SerialNumber: SERIAL,
      Base32StringSeed: new TextEncoder().encode(SECRET),
      QRCodePNG: new Uint8Array([137, 80, 78, 71]),
    },
  });
  iam.on(EnableMFADeviceCommand).resolves({});
  iam.on(DeleteVirtualMFADeviceCommand).resolves({});
}

let clients: AwsClients;
const clientIo = new RecordingIoHost();

beforeEach(async () => {
  iam.reset();
  sts.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW_MS);
  clients = await createAwsClients({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }, clientIo);
});
afterEach(() => {
  vi.useRealTimers();
});

const enableCalls = () => iam.commandCalls(EnableMFADeviceCommand).map((c) => c.args[0].input);
const failure = (result: Awaited<ReturnType<typeof runSteps>>) => result.facts.failures['admin-user-mfa'] ?? '';
const stepResult = (result: Awaited<ReturnType<typeof runSteps>>) => result.report.steps.find((s) => s.id === 'admin-user-mfa')!;

function directContext(io: ScriptedIoHost, overrides: Partial<InitContext> = {}): InitContext & { recorded: Change[] } {
  const recorded: Change[] = [];
  const facts: InitFacts = { leftToDo: [], failures: {} };
  return {
    clients,
    io,
    reader: createAccountReader(clients),
    partition: 'aws',
    dryRun: false,
    shared: {},
    facts,
    record: (change) => recorded.push(change),
    defer: () => undefined,
    recorded,
    ...overrides,
  };
}

describe('admin-user-mfa init (AWS answers AWS cannot be made to give in moto)', () => {
  it('asks again for fresh codes when AWS answers InvalidAuthenticationCode, then enrols', async () => {
    accountWithUserWithoutMfa();
    iam
      .on(EnableMFADeviceCommand)
      .rejectsOnce(awsError('InvalidAuthenticationCodeException', 'Authentication code for device is not valid.'))
      .resolves({});
    const io = new ScriptedIoHost({
      'admin-user-mfa.user': 'alice',
      'admin-user-mfa.confirm': true,
      'admin-user-mfa.code1': [code(N), code(N + 1)],
      'admin-user-mfa.code2': [code(N + 1), code(N + 2)],
    });

    const result = await runSteps(clients, io, 'admin-user-mfa');

    expect(stepResult(result)).toEqual({
      id: 'admin-user-mfa',
      status: 'created',
      changes: [
        { action: 'create', target: 'iam:mfa/alice', detail: `virtual MFA device ${SERIAL}` },
        { action: 'attach', target: 'iam:user/alice', detail: `virtual MFA device ${SERIAL}` },
      ],
    });
    expect(io.asked.filter((id) => id === 'admin-user-mfa.code1')).toHaveLength(2);
    expect(enableCalls()).toEqual([
      { UserName: 'alice', SerialNumber: SERIAL, AuthenticationCode1: code(N), AuthenticationCode2: code(N + 1) },
      { UserName: 'alice', SerialNumber: SERIAL, AuthenticationCode1: code(N + 1), AuthenticationCode2: code(N + 2) },
    ]);
    expect(io.messages('warn').join('\n')).toContain('AWS did not accept the codes');
    expect(iam.commandCalls(DeleteVirtualMFADeviceCommand)).toHaveLength(0);
  });

  it('checks the codes locally first: codes of another secret never reach AWS, and the person is told why', async () => {
    accountWithUserWithoutMfa();
    const io = new ScriptedIoHost({
      'admin-user-mfa.user': 'alice',
      'admin-user-mfa.confirm': true,
      'admin-user-mfa.code1': [code(N, OTHER_SECRET), code(N), code(N)],
      'admin-user-mfa.code2': [code(N + 1, OTHER_SECRET), code(N + 2), code(N + 1)],
    });

    const result = await runSteps(clients, io, 'admin-user-mfa');

    expect(stepResult(result).status).toBe('created');
    expect(enableCalls()).toEqual([
      { UserName: 'alice', SerialNumber: SERIAL, AuthenticationCode1: code(N), AuthenticationCode2: code(N + 1) },
    ]);
    const warnings = io.messages('warn');
    expect(warnings[0]).toMatch(/^Neither code matches this device's secret key\. .*"AWS acme" entry for alice/);
    expect(warnings[0]).toContain('2 tries left');
    expect(warnings[1]).toContain('do not follow each other');
  });

  it('gives up after three rounds of wrong codes and deletes the device it made', async () => {
    accountWithUserWithoutMfa();
    const io = new ScriptedIoHost({
      'admin-user-mfa.user': 'alice',
      'admin-user-mfa.confirm': true,
      'admin-user-mfa.code1': code(N),
      'admin-user-mfa.code2': code(N),
    });

    const result = await runSteps(clients, io, 'admin-user-mfa');

    expect(stepResult(result).status).toBe('failed');
    expect(io.asked.filter((id) => id === 'admin-user-mfa.code2')).toHaveLength(3);
    expect(io.messages('warn').filter((w) => w.startsWith('You entered the same code twice'))).toHaveLength(3);
    expect(enableCalls()).toEqual([]);
    expect(iam.commandCalls(DeleteVirtualMFADeviceCommand).map((c) => c.args[0].input)).toEqual([{ SerialNumber: SERIAL }]);
    expect(failure(result)).toMatch(/did not work after 3 tries.*the new MFA device was removed/);
    expect(stepResult(result).changes.map((c) => `${c.action} ${c.target}`)).toEqual(['create iam:mfa/alice', 'delete iam:mfa/alice']);
  });

  it('never shows, logs or records the seed, the URI or the codes outside showSecret / showQrCode', async () => {
    accountWithUserWithoutMfa();
    const io = new ScriptedIoHost({
      'admin-user-mfa.user': 'alice',
      'admin-user-mfa.confirm': true,
      'admin-user-mfa.code1': [code(N, OTHER_SECRET), code(N)],
      'admin-user-mfa.code2': [code(N + 1, OTHER_SECRET), code(N + 1)],
    });

    const result = await runSteps(clients, io, 'admin-user-mfa');

    expect(stepResult(result).status).toBe('created');
    expect(io.secretsShown).toEqual([{ label: 'Secret key (for apps that cannot scan)', value: SECRET }]);
    expect(io.qrCodes).toEqual([
      `otpauth://totp/AWS%20acme:alice?secret=${SECRET}&issuer=AWS%20acme&algorithm=SHA1&digits=6&period=30`,
    ]);
    const everythingElse = JSON.stringify({ log: io.log, report: result.report, facts: result.facts, calls: clientIo.messages });
    for (const secret of [SECRET, SECRET.slice(0, 16), code(N), code(N + 1), code(N, OTHER_SECRET), 'otpauth']) {
      expect(everythingElse).not.toContain(secret);
    }
  });

  it('fails when ListMFADevices does not show the device after EnableMFADevice', async () => {
    accountWithUserWithoutMfa();
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    const io = new ScriptedIoHost({
      'admin-user-mfa.user': 'alice',
      'admin-user-mfa.confirm': true,
      'admin-user-mfa.code1': code(N),
      'admin-user-mfa.code2': code(N + 1),
    });

    const result = await runSteps(clients, io, 'admin-user-mfa');

    expect(stepResult(result).status).toBe('failed');
    expect(failure(result)).toBe(`ListMFADevices does not show ${SERIAL} for alice after EnableMFADevice.`);
    expect(iam.commandCalls(ListMFADevicesCommand)).toHaveLength(2);
  });

  it('fails clearly when the user does not exist, before any write', async () => {
    accountWithUserWithoutMfa();
    iam.on(GetUserCommand).rejects(awsError('NoSuchEntityException', 'The user with name bob cannot be found.'));
    const io = new ScriptedIoHost({ 'admin-user-mfa.user': 'bob' });

    const result = await runSteps(clients, io, 'admin-user-mfa');

    expect(stepResult(result).status).toBe('failed');
    expect(failure(result)).toBe(
      'The IAM user "bob" does not exist in this account. Create it first ' +
        '(`aws-bootstrap init --only admin-group,admin-user`), or give the name of an existing user.',
    );
    expect(iam.commandCalls(CreateVirtualMFADeviceCommand)).toHaveLength(0);
  });

  it('fails clearly when a device of that name belongs to another user', async () => {
    accountWithUserWithoutMfa();
    iam.on(CreateVirtualMFADeviceCommand).rejects(awsError('EntityAlreadyExistsException', 'MFADevice entity at the same path and name already exists.'));
    const io = new ScriptedIoHost({ 'admin-user-mfa.user': 'alice', 'admin-user-mfa.confirm': true });

    const result = await runSteps(clients, io, 'admin-user-mfa');

    expect(failure(result)).toMatch(/^A virtual MFA device named "alice" already exists and is assigned to another user/);
    expect(io.qrCodes).toEqual([]);
    expect(iam.commandCalls(DeleteVirtualMFADeviceCommand)).toHaveLength(0);
  });

  it('takes the user from the admin-user step without asking', async () => {
    accountWithUserWithoutMfa();
    const io = new ScriptedIoHost({
      'admin-user-mfa.confirm': true,
      'admin-user-mfa.code1': code(N),
      'admin-user-mfa.code2': code(N + 1),
    });
    const context = directContext(io, { shared: { adminUserName: 'alice' } });

    const outcome = await adminUserMfaInit.run(context);

    expect(outcome.status).toBe('created');
    expect(io.asked).not.toContain('admin-user-mfa.user');
    expect(iam.commandCalls(GetUserCommand)[0]!.args[0].input).toEqual({ UserName: 'alice' });
    expect(context.recorded).toEqual(outcome.changes);
  });

  it('plans the MFA of a user the admin-user step only planned, in a dry run', async () => {
    accountWithUserWithoutMfa();
    iam.on(GetUserCommand).rejects(awsError('NoSuchEntityException', 'not found'));
    const io = new ScriptedIoHost({});

    const outcome = await adminUserMfaInit.run(directContext(io, { dryRun: true, shared: { adminUserName: 'alice' } }));

    expect(outcome).toEqual({ status: 'planned', changes: planMfaEnrolment({ userName: 'alice', hasMfa: false, serial: SERIAL }) });
    expect(iam.commandCalls(CreateVirtualMFADeviceCommand)).toHaveLength(0);
  });

  it('does nothing when the person declines, and leaves a note for later', async () => {
    accountWithUserWithoutMfa();
    const io = new ScriptedIoHost({ 'admin-user-mfa.user': ['alice smith', 'alice'], 'admin-user-mfa.confirm': false });

    const result = await runSteps(clients, io, 'admin-user-mfa');

    expect(io.validationErrors.map((e) => `${e.id}: ${e.value}`)).toEqual(['admin-user-mfa.user: alice smith']);
    expect(stepResult(result)).toEqual({ id: 'admin-user-mfa', status: 'skipped', changes: [] });
    expect(result.facts.leftToDo).toEqual(['Give alice an MFA device: run `aws-bootstrap init --only admin-user-mfa`.']);
    expect(iam.commandCalls(CreateVirtualMFADeviceCommand)).toHaveLength(0);
  });

  it('leaves the device for the next run when interrupted at a code prompt', async () => {
    accountWithUserWithoutMfa();
    const io = new ScriptedIoHost({
      'admin-user-mfa.user': 'alice',
      'admin-user-mfa.confirm': true,
      'admin-user-mfa.code1': () => {
        throw new BootstrapError('INTERRUPTED', 'Interrupted.');
      },
    });

    await expect(runSteps(clients, io, 'admin-user-mfa')).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(iam.commandCalls(DeleteVirtualMFADeviceCommand)).toHaveLength(0);
  });
});

describe('planMfaEnrolment', () => {
  it('plans nothing for a user with MFA; delete, create, attach for an orphan', () => {
    expect(planMfaEnrolment({ userName: 'alice', hasMfa: true, serial: SERIAL })).toEqual([]);
    expect(planMfaEnrolment({ userName: 'alice', hasMfa: false, serial: SERIAL, orphanSerial: SERIAL }).map((c) => c.action)).toEqual([
      'delete',
      'create',
      'attach',
    ]);
  });
});
