import {
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  IAMClient,
  ListMFADevicesCommand,
  ListVirtualMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_ID, motoSeeder } from '../support/moto-seed.js';
import { motoClients, plainClientConfig } from '../support/moto-clients.js';
import { RecordingIoHost } from '../support/recording-io-host.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

const SERIAL = `arn:aws:iam::${ACCOUNT_ID}:mfa/alice`;

/**
 * A person with a phone: reads the secret key the run showed (as an app would after scanning), types the code
 * shown now, then the next one.
 */
function personWithPhone(answers: Record<string, string | boolean> = {}) {
  const io: ScriptedIoHost = new ScriptedIoHost({
    'admin-user-mfa.user': 'alice',
    'admin-user-mfa.confirm': true,
    'admin-user-mfa.code1': () => phoneCode(io, 0),
    'admin-user-mfa.code2': () => phoneCode(io, 1),
    ...answers,
  });
  return io;
}

function phoneCode(io: ScriptedIoHost, stepsAhead: number): string {
  const secret = io.secretsShown.at(-1)?.value;
  if (!secret) throw new Error('asked for a code before any secret key was shown');
  // What the app scanned must be the same key.
  expect(new URL(io.qrCodes.at(-1)!).searchParams.get('secret')).toBe(secret);
  const step = Math.floor(Date.now() / 30_000) + stepsAhead;
  return generateSync({ secret, epoch: step * 30 });
}

describe.skipIf(!motoAvailable)('init admin-user-mfa against moto', () => {
  const moto = useMoto();
  const admin = () =>
    new IAMClient(plainClientConfig(moto.server.endpoint));
  const mfaSerials = async (userName: string) =>
    ((await admin().send(new ListMFADevicesCommand({ UserName: userName }))).MFADevices ?? []).map((d) => d.SerialNumber);
  const unassigned = async () =>
    ((await admin().send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }))).VirtualMFADevices ?? []).map(
      (d) => d.SerialNumber,
    );
  /** The AWS calls a run made, from the client factory's call log (`iam:GetUser ok (3 ms)` -> `iam:GetUser`). */
  const callsOf = (log: RecordingIoHost) =>
    log.messages.filter((m) => m.kind === 'debug').map((m) => /^(\S+:\S+) /.exec(m.text)?.[1]).filter((c) => c !== undefined);
  const WRITES = /^iam:(Create|Delete|Enable|Deactivate)/;
  const stepOf = (result: Awaited<ReturnType<typeof runSteps>>) => result.report.steps.find((s) => s.id === 'admin-user-mfa')!;

  it('enrols a virtual MFA device from the codes a person reads off the scanned QR code', async () => {
    await admin().send(new CreateUserCommand({ UserName: 'alice' }));
    const io = personWithPhone();

    const result = await runSteps(await motoClients(moto.server.endpoint), io, 'admin-user-mfa');

    expect(stepOf(result)).toEqual({
      id: 'admin-user-mfa',
      status: 'created',
      changes: [
        { action: 'create', target: 'iam:mfa/alice', detail: `virtual MFA device ${SERIAL}` },
        { action: 'attach', target: 'iam:user/alice', detail: `virtual MFA device ${SERIAL}` },
      ],
    });
    expect(await mfaSerials('alice')).toEqual([SERIAL]);
    expect(await unassigned()).toEqual([]);
    // The seed AWS returned reached the person as base32 text, in the QR code (with the account id: no alias) too.
    const secret = io.secretsShown[0]!.value;
    expect(secret).toMatch(/^[A-Z2-7]{32,}$/);
    expect(io.qrCodes).toEqual([
      `otpauth://totp/AWS%20${ACCOUNT_ID}:alice?secret=${secret}&issuer=AWS%20${ACCOUNT_ID}&algorithm=SHA1&digits=6&period=30`,
    ]);
    expect(io.asked).toEqual(['admin-user-mfa.user', 'admin-user-mfa.confirm', 'admin-user-mfa.code1', 'admin-user-mfa.code2']);
    expect(JSON.stringify({ log: io.log, report: result.report })).not.toContain(secret);
  });

  it('names the account alias in the issuer', async () => {
    await motoSeeder(moto.server.endpoint).alias('acme-sandbox');
    await admin().send(new CreateUserCommand({ UserName: 'alice' }));
    const io = personWithPhone();

    await runSteps(await motoClients(moto.server.endpoint), io, 'admin-user-mfa');

    expect(io.qrCodes[0]).toMatch(/^otpauth:\/\/totp\/AWS%20acme-sandbox:alice\?.*&issuer=AWS%20acme-sandbox&/);
    expect(await mfaSerials('alice')).toEqual([SERIAL]);
  });

  it('leaves a user who already has MFA alone: a second run is unchanged and writes nothing', async () => {
    await admin().send(new CreateUserCommand({ UserName: 'alice' }));
    const clients = await motoClients(moto.server.endpoint);
    await runSteps(clients, personWithPhone(), 'admin-user-mfa');
    const before = await mfaSerials('alice');

    const io = new ScriptedIoHost({ 'admin-user-mfa.user': 'alice' });
    const log = new RecordingIoHost();
    const result = await runSteps(await motoClients(moto.server.endpoint, log), io, 'admin-user-mfa');

    expect(stepOf(result)).toEqual({ id: 'admin-user-mfa', status: 'unchanged', changes: [] });
    expect(callsOf(log)).toContain('iam:ListMFADevices');
    expect(callsOf(log).filter((c) => WRITES.test(c))).toEqual([]);
    expect(io.asked).toEqual(['admin-user-mfa.user']);
    expect(io.secretsShown).toEqual([]);
    expect(await mfaSerials('alice')).toEqual(before);
    expect(await unassigned()).toEqual([]);
  });

  it('replaces an unassigned device left by an aborted run with a new one', async () => {
    await admin().send(new CreateUserCommand({ UserName: 'alice' }));
    const orphan = await admin().send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice' }));
    const oldSeed = new TextDecoder().decode(orphan.VirtualMFADevice!.Base32StringSeed);
    // Someone else's unassigned device is not touched.
    await admin().send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'bob' }));
    const io = personWithPhone();

    const result = await runSteps(await motoClients(moto.server.endpoint), io, 'admin-user-mfa');

    expect(stepOf(result).status).toBe('created');
    expect(stepOf(result).changes.map((c) => `${c.action} ${c.target}`)).toEqual([
      'delete iam:mfa/alice',
      'create iam:mfa/alice',
      'attach iam:user/alice',
    ]);
    expect(io.secretsShown[0]!.value).not.toBe(oldSeed);
    expect(await mfaSerials('alice')).toEqual([SERIAL]);
    expect(await unassigned()).toEqual([`arn:aws:iam::${ACCOUNT_ID}:mfa/bob`]);
  });

  it('makes no write in a dry run and plans the device and its enrolment', async () => {
    await admin().send(new CreateUserCommand({ UserName: 'alice' }));
    const io = new ScriptedIoHost({ 'admin-user-mfa.user': 'alice' });
    const log = new RecordingIoHost();

    const result = await runSteps(await motoClients(moto.server.endpoint, log), io, 'admin-user-mfa', { dryRun: true });

    expect(stepOf(result)).toEqual({
      id: 'admin-user-mfa',
      status: 'planned',
      changes: [
        { action: 'create', target: 'iam:mfa/alice', detail: `virtual MFA device ${SERIAL}` },
        { action: 'attach', target: 'iam:user/alice', detail: `virtual MFA device ${SERIAL}` },
      ],
    });
    expect(io.asked).toEqual(['admin-user-mfa.user']);
    expect(callsOf(log)).toContain('iam:ListVirtualMFADevices');
    expect(callsOf(log).filter((c) => WRITES.test(c))).toEqual([]);
    expect(await mfaSerials('alice')).toEqual([]);
    expect(await unassigned()).toEqual([]);
  });

  it('fails clearly for a user that does not exist, and creates nothing', async () => {
    const io = new ScriptedIoHost({ 'admin-user-mfa.user': 'alice' });

    const result = await runSteps(await motoClients(moto.server.endpoint), io, 'admin-user-mfa');

    expect(stepOf(result).status).toBe('failed');
    expect(result.facts.failures['admin-user-mfa']).toContain('The IAM user "alice" does not exist in this account.');
    expect(await unassigned()).toEqual([]);
  });

  it('removes the new device when the codes never work, so nothing is left half-done', async () => {
    await admin().send(new CreateUserCommand({ UserName: 'alice' }));
    const io = personWithPhone({ 'admin-user-mfa.code1': '000000', 'admin-user-mfa.code2': '000000' });

    const result = await runSteps(await motoClients(moto.server.endpoint), io, 'admin-user-mfa');

    expect(stepOf(result).status).toBe('failed');
    expect(io.secretsShown).toHaveLength(1);
    expect(await mfaSerials('alice')).toEqual([]);
    expect(await unassigned()).toEqual([]);
  });
});
