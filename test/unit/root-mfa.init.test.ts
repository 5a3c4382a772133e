import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '../../src/core/aws/client-factory.js';
import { waitForConsoleFix } from '../../src/core/steps/root-mfa.init.js';
import { RecordingIoHost } from '../support/recording-io-host.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);

const summary = (mfa: 0 | 1) => ({ SummaryMap: { AccountMFAEnabled: mfa, AccountAccessKeysPresent: 0, Users: 3 } });

let clients: AwsClients;
beforeEach(async () => {
  iam.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:root' });
  clients = await createAwsClients(
    { region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
    new RecordingIoHost(),
  );
});

const stepOf = (result: Awaited<ReturnType<typeof runSteps>>) => result.report.steps.find((s) => s.id === 'root-mfa')!;
const everyCallIsARead = () => iam.calls().every((c) => c.args[0] instanceof GetAccountSummaryCommand);

describe('root-mfa init', () => {
  it('reports success only after a fresh GetAccountSummary reads AccountMFAEnabled 1 (the person added it in the console meanwhile)', async () => {
    iam.on(GetAccountSummaryCommand).resolvesOnce(summary(0)).resolvesOnce(summary(0)).resolves(summary(1));
    const io = new ScriptedIoHost({ 'root-mfa.next': 'recheck' });

    const result = await runSteps(clients, io, 'root-mfa');

    expect(stepOf(result)).toEqual({ id: 'root-mfa', status: 'updated', changes: [] });
    // One read to start, one per "check again": the first re-check still read 0, so the person was told and asked again.
    expect(iam.commandCalls(GetAccountSummaryCommand)).toHaveLength(3);
    expect(io.asked).toEqual(['root-mfa.next', 'root-mfa.next']);
    expect(io.messages('warn')).toEqual([
      'AWS still reports no MFA device for the root user (GetAccountSummary: AccountMFAEnabled is 0).',
    ]);
    expect(result.facts.leftToDo).toEqual([]);
    expect(everyCallIsARead()).toBe(true);
  });

  it('explains the console step (link, passkey or security key) and leaves it to do when skipped', async () => {
    iam.on(GetAccountSummaryCommand).resolves(summary(0));
    const io = new ScriptedIoHost({ 'root-mfa.next': 'skip' });

    const result = await runSteps(clients, io, 'root-mfa');

    expect(stepOf(result)).toEqual({ id: 'root-mfa', status: 'manual', changes: [] });
    const info = io.messages('info').join('\n');
    expect(info).toContain('https://console.aws.amazon.com/iam/home#/security_credentials');
    expect(info).toMatch(/passkey or security key/);
    expect(info).toMatch(/only the root user add one, and only in the console/);
    expect(result.facts.leftToDo).toEqual([
      'Add MFA to the root user (a passkey or security key is strongest): sign in as root at https://console.aws.amazon.com/iam/home#/security_credentials',
    ]);
    expect(iam.commandCalls(GetAccountSummaryCommand)).toHaveLength(1);
  });

  it('stays manual when every re-check still reads AccountMFAEnabled 0, never claiming success', async () => {
    iam.on(GetAccountSummaryCommand).resolves(summary(0));
    const io = new ScriptedIoHost({ 'root-mfa.next': ['recheck', 'recheck', 'skip'] });

    const result = await runSteps(clients, io, 'root-mfa');

    expect(stepOf(result).status).toBe('manual');
    expect(iam.commandCalls(GetAccountSummaryCommand)).toHaveLength(3);
    expect(io.messages('warn')).toHaveLength(2);
    expect(result.facts.leftToDo).toHaveLength(1);
  });

  it('asks nothing when GetAccountSummary already reads AccountMFAEnabled 1', async () => {
    iam.on(GetAccountSummaryCommand).resolves(summary(1));
    const io = new ScriptedIoHost({});

    const result = await runSteps(clients, io, 'root-mfa');

    expect(stepOf(result)).toEqual({ id: 'root-mfa', status: 'unchanged', changes: [] });
    expect(io.asked).toEqual([]);
    expect(result.facts.leftToDo).toEqual([]);
  });

  it('behaves the same in a dry run: it never writes anything', async () => {
    iam.on(GetAccountSummaryCommand).resolves(summary(0));
    const io = new ScriptedIoHost({});

    const result = await runSteps(clients, io, 'root-mfa', { dryRun: true });

    expect(stepOf(result).status).toBe('manual');
    expect(everyCallIsARead()).toBe(true);
  });

  it('links the console of the partition the run is in (aws-cn)', async () => {
    const cn = await createAwsClients(
      { region: 'cn-north-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
      new RecordingIoHost(),
    );
    iam.on(GetAccountSummaryCommand).resolves(summary(0));
    const io = new ScriptedIoHost({ 'root-mfa.next': 'skip' });

    const result = await runSteps(cn, io, 'root-mfa');

    expect(io.messages('info').join('\n')).toContain('https://console.amazonaws.cn/iam/home#/security_credentials');
    expect(result.facts.leftToDo[0]).toContain('https://console.amazonaws.cn/iam/home#/security_credentials');
  });
});

describe('waitForConsoleFix', () => {
  it('defaults to skip, so a host that takes defaults can never loop', async () => {
    let reads = 0;
    const io = new ScriptedIoHost({});
    const done = await waitForConsoleFix({ io, clients: { forgetReads: () => undefined } }, { id: 'x.next', recheckLabel: 'check', stillMessage: 'still' }, async () => {
      reads += 1;
      return true;
    });
    expect(done).toBe(false);
    expect(reads).toBe(0);
  });
});
