import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  GetAccountSummaryCommand,
  IAMClient,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/core/aws/client-factory.js';
import { motoClients, plainClientConfig } from '../support/moto-clients.js';
import { RecordingIoHost } from '../support/recording-io-host.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';
import { recordCalls, writesIn } from '../support/record-calls.js';

const KEY_1 = 'AKIAROOTKEY000000001';
const KEY_2 = 'AKIAROOTKEY000000002';
/** The access key id the run itself signs with, in the test where it is a root key. */
const OWN = 'AKIAOWNROOTKEY000001';

/** Every call the core makes through these clients, by operation name. */

describe.skipIf(!motoAvailable)('init root-access-keys against moto', () => {
  const moto = useMoto();
  /** Plain SDK, signed with moto's test key: with callerIsRoot on, that is the root user too. */
  const root = () =>
    new IAMClient(plainClientConfig(moto.server.endpoint));
  const rootKeys = async () => ((await root().send(new ListAccessKeysCommand({}))).AccessKeyMetadata ?? []).map((k) => k.AccessKeyId);
  const keysPresent = async () => (await root().send(new GetAccountSummaryCommand({}))).SummaryMap?.AccountAccessKeysPresent;
  const rootState = async () => (await (await fetch(`${moto.server.endpoint}/_aws-bootstrap/root`)).json()) as Record<string, unknown>;
  const stepOf = (result: Awaited<ReturnType<typeof runSteps>>, id = 'root-access-keys') => result.report.steps.find((s) => s.id === id)!;

  it('as root, deletes the root access keys after a confirmation; a second run is unchanged and writes nothing', async () => {
    await moto.server.setRoot({ callerIsRoot: true, rootAccessKeys: [KEY_1, KEY_2] });
    const clients = await motoClients(moto.server.endpoint);
    const io = new ScriptedIoHost({ 'root-access-keys.confirm': true });

    const result = await runSteps(clients, io, 'root-access-keys');

    expect(stepOf(result)).toEqual({
      id: 'root-access-keys',
      status: 'updated',
      changes: [
        { action: 'delete', target: `iam:root-access-key/${KEY_1}`, detail: `root access key ${KEY_1} (Active)` },
        { action: 'delete', target: `iam:root-access-key/${KEY_2}`, detail: `root access key ${KEY_2} (Active)` },
      ],
    });
    expect(io.asked).toEqual(['root-access-keys.confirm']);
    expect(io.messages('info')[0]).toContain(`${KEY_1}  Active`);
    expect(await rootKeys()).toEqual([]);
    expect(await keysPresent()).toBe(0);

    const again = new ScriptedIoHost({});
    const calls = recordCalls(clients);
    const second = await runSteps(clients, again, 'root-access-keys');
    expect(stepOf(second)).toEqual({ id: 'root-access-keys', status: 'unchanged', changes: [] });
    expect(again.asked).toEqual([]);
    expect(calls).toContain('ListAccessKeys');
    expect(writesIn(calls)).toEqual([]);
  });

  it('deletes the key the run signs with last, after every other step, and says to remove it from the credentials file', async () => {
    await moto.server.setRoot({ callerIsRoot: true, rootAccessKeys: [KEY_1, OWN] });
    const clients = await createAwsClients(
      { endpointUrl: moto.server.endpoint, region: 'us-east-1', credentials: { accessKeyId: OWN, secretAccessKey: 'root-secret' } },
      new RecordingIoHost(),
    );
    const calls = recordCalls(clients);
    const io = new ScriptedIoHost({ 'root-access-keys.confirm': true, 'account-alias.alias': 'acme-sandbox', 'account-alias.confirm': true });

    const result = await runSteps(clients, io, 'root-access-keys,account-alias');

    expect(writesIn(calls)).toEqual(['DeleteAccessKey', 'CreateAccountAlias', 'DeleteAccessKey']);
    expect(stepOf(result, 'account-alias').status).toBe('created');
    expect(stepOf(result).changes.map((c) => c.target)).toEqual([`iam:root-access-key/${KEY_1}`, `iam:root-access-key/${OWN}`]);
    expect(io.messages('info').join('\n')).toContain(`${OWN} is the key this run signs its calls with: deleting it ends this run's access.`);
    expect(io.messages('progress')).toContain(`Last: delete the root access key ${OWN} this run signs its calls with`);
    expect(result.facts.leftToDo).toEqual([
      `Remove the deleted root access key ${OWN} from your credentials file (~/.aws/credentials) or environment.`,
    ]);
    expect(await rootKeys()).toEqual([]);
    expect(await keysPresent()).toBe(0);
  });

  it('plans the deletions in a dry run and changes nothing', async () => {
    await moto.server.setRoot({ callerIsRoot: true, rootAccessKeys: [KEY_1] });
    const before = await rootState();
    const clients = await motoClients(moto.server.endpoint);
    const calls = recordCalls(clients);

    const result = await runSteps(clients, new ScriptedIoHost({}), 'root-access-keys', { dryRun: true });

    expect(stepOf(result)).toMatchObject({ status: 'planned', changes: [{ action: 'delete', target: `iam:root-access-key/${KEY_1}` }] });
    expect(writesIn(calls)).toEqual([]);
    expect(await rootState()).toEqual(before);
    expect(await rootKeys()).toEqual([KEY_1]);
  });

  it('as an IAM caller with root keys present, guides to the console and leaves it to do when skipped', async () => {
    await moto.server.setRoot({ accessKeysPresent: true });
    const clients = await motoClients(moto.server.endpoint);
    const calls = recordCalls(clients);
    const io = new ScriptedIoHost({ 'root-access-keys.next': ['recheck', 'skip'] });

    const result = await runSteps(clients, io, 'root-access-keys');

    expect(stepOf(result)).toEqual({ id: 'root-access-keys', status: 'manual', changes: [] });
    expect(io.messages('info')[0]).toContain('https://console.aws.amazon.com/iam/home#/security_credentials');
    expect(io.messages('warn')).toHaveLength(1);
    expect(result.facts.leftToDo).toHaveLength(1);
    expect(calls).not.toContain('ListAccessKeys');
    expect(writesIn(calls)).toEqual([]);
    expect(await keysPresent()).toBe(1);
  });

  it('(emulator) keeps an IAM user’s keys its own: without UserName, a user’s key still lists that user’s keys', async () => {
    await moto.server.setRoot({ callerIsRoot: true, rootAccessKeys: [KEY_1] });
    await root().send(new CreateUserCommand({ UserName: 'bob' }));
    const { AccessKey } = await root().send(new CreateAccessKeyCommand({ UserName: 'bob' }));
    const bob = new IAMClient({
      endpoint: moto.server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
      maxAttempts: 1,
    });
    const listed = (await bob.send(new ListAccessKeysCommand({}))).AccessKeyMetadata ?? [];
    expect(listed.map((k) => [k.UserName, k.AccessKeyId])).toEqual([['bob', AccessKey!.AccessKeyId]]);
    expect(await rootKeys()).toEqual([KEY_1]);
    expect(await rootState()).toMatchObject({ accessKeysPresent: true, rootAccessKeys: [KEY_1] });
  });

  it('as an IAM caller without root keys, is unchanged and asks nothing', async () => {
    const io = new ScriptedIoHost({});
    const result = await runSteps(await motoClients(moto.server.endpoint), io, 'root-access-keys');
    expect(stepOf(result)).toEqual({ id: 'root-access-keys', status: 'unchanged', changes: [] });
    expect(io.asked).toEqual([]);
  });
});
