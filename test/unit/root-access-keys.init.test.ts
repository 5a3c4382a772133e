import {
  DeleteAccessKeyCommand,
  GetAccountSummaryCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '../../src/core/aws/client-factory.js';
import { planRootKeyDeletion } from '../../src/core/steps/root-access-keys.init.js';
import { RecordingIoHost } from '../support/recording-io-host.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);

const ACCOUNT = '111122223333';
/** The access key id of the credentials the run signs with. */
const OWN = 'AKIAOWNKEY0000000001';
const OTHER = 'AKIAOTHERKEY00000002';

function awsError(name: string, message: string) {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

const key = (AccessKeyId: string, Status: 'Active' | 'Inactive' = 'Active') => ({ AccessKeyId, Status, CreateDate: new Date() });
const summary = (keys: 0 | 1) => ({ SummaryMap: { AccountMFAEnabled: 1, AccountAccessKeysPresent: keys } });

function asRoot() {
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root`, UserId: ACCOUNT });
}
function asAdmin() {
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/admin` });
}

let clients: AwsClients;
beforeEach(async () => {
  iam.reset();
  sts.reset();
  clients = await createAwsClients(
    { region: 'us-east-1', credentials: { accessKeyId: OWN, secretAccessKey: 'secret' } },
    new RecordingIoHost(),
  );
});

type Result = Awaited<ReturnType<typeof runSteps>>;
const stepOf = (result: Result, id = 'root-access-keys') => result.report.steps.find((s) => s.id === id)!;
const deleted = () => iam.commandCalls(DeleteAccessKeyCommand).map((c) => c.args[0].input);
const callNames = () => iam.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ''));

describe('planRootKeyDeletion', () => {
  it('deletes every root key, the run’s own last', () => {
    const keys = [
      { accessKeyId: OWN, status: 'Active' },
      { accessKeyId: OTHER, status: 'Inactive' },
    ];
    const plan = planRootKeyDeletion(keys, OWN);
    expect(plan.others).toEqual([{ accessKeyId: OTHER, status: 'Inactive' }]);
    expect(plan.own).toEqual({ accessKeyId: OWN, status: 'Active' });
    expect(plan.changes).toEqual([
      { action: 'delete', target: `iam:root-access-key/${OTHER}`, detail: `root access key ${OTHER} (Inactive)` },
      {
        action: 'delete',
        target: `iam:root-access-key/${OWN}`,
        detail: `root access key ${OWN} (Active; the key this run signs with: deleted last)`,
      },
    ]);
  });

  it('has no own key when the run signs with something else (CloudShell, SSO)', () => {
    const plan = planRootKeyDeletion([{ accessKeyId: OTHER, status: 'Active' }], 'ASIATEMPORARY0000001');
    expect(plan.own).toBeUndefined();
    expect(plan.changes.map((c) => c.target)).toEqual([`iam:root-access-key/${OTHER}`]);
    expect(planRootKeyDeletion([], OWN).changes).toEqual([]);
  });
});

describe('root-access-keys init as root (AWS answers moto cannot give for root)', () => {
  it('a root caller whose own access key is among the root keys: it is deferred, and deleted after everything else', async () => {
    asRoot();
    iam
      .on(ListAccessKeysCommand)
      .resolvesOnce({ AccessKeyMetadata: [key(OWN), key(OTHER, 'Inactive')] })
      .resolves({ AccessKeyMetadata: [key(OWN)] });
    iam.on(DeleteAccessKeyCommand).resolves({});
    iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['acme'] });
    const io = new ScriptedIoHost({ 'root-access-keys.confirm': true, 'account-alias.keep': true });

    const result = await runSteps(clients, io, 'root-access-keys,account-alias');

    // The other key goes at once; the run's own key only after account-alias has finished.
    expect(callNames()).toEqual(['ListAccessKeys', 'DeleteAccessKey', 'ListAccessKeys', 'ListAccountAliases', 'DeleteAccessKey']);
    expect(deleted()).toEqual([{ AccessKeyId: OTHER }, { AccessKeyId: OWN }]);
    expect(stepOf(result)).toEqual({
      id: 'root-access-keys',
      status: 'updated',
      changes: planRootKeyDeletion(
        [
          { accessKeyId: OWN, status: 'Active' },
          { accessKeyId: OTHER, status: 'Inactive' },
        ],
        OWN,
      ).changes,
    });
    expect(stepOf(result, 'account-alias').status).toBe('unchanged');
    const info = io.messages('info').join('\n');
    expect(info).toContain(`${OWN}  Active  (the key this run uses)`);
    expect(info).toContain(`${OTHER}  Inactive`);
    expect(info).toContain(
      `${OWN} is the key this run signs its calls with: deleting it ends this run's access. It is deleted last, after every other step; then remove it from your credentials file`,
    );
    expect(io.log.findIndex((l) => l.kind === 'progress' && l.text.includes(OWN))).toBeGreaterThan(
      io.log.findIndex((l) => l.kind === 'step' && l.id === 'account-alias'),
    );
    expect(result.facts.leftToDo).toEqual([
      `Remove the deleted root access key ${OWN} from your credentials file (~/.aws/credentials) or environment.`,
    ]);
    // Key ids and statuses only: the secret never appears.
    expect(JSON.stringify({ log: io.log, report: result.report, facts: result.facts })).not.toContain('secret');
  });

  it('lists the run’s own key as deleted only once the deferred DeleteAccessKey succeeded (AWS refusing it fails the step)', async () => {
    asRoot();
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [key(OWN)] });
    iam.on(DeleteAccessKeyCommand).rejects(awsError('LimitExceededException', 'Rate exceeded'));
    const io = new ScriptedIoHost({ 'root-access-keys.confirm': true });

    const result = await runSteps(clients, io, 'root-access-keys');

    expect(stepOf(result)).toEqual({ id: 'root-access-keys', status: 'failed', changes: [] });
    expect(result.facts.failures['root-access-keys']).toContain('iam:DeleteAccessKey');
    expect(result.facts.leftToDo).toEqual([]);
  });

  it('keeps the run’s own key when a later step fails, and says it was not done', async () => {
    asRoot();
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [key(OWN)] });
    iam.on(DeleteAccessKeyCommand).resolves({});
    iam.on(ListAccountAliasesCommand).rejects(awsError('ServiceFailureException', 'internal'));
    const io = new ScriptedIoHost({ 'root-access-keys.confirm': true });

    const result = await runSteps(clients, io, 'root-access-keys,account-alias');

    expect(deleted()).toEqual([]);
    expect(stepOf(result, 'account-alias').status).toBe('failed');
    expect(stepOf(result).changes).toEqual([]);
    expect(result.facts.leftToDo).toEqual([
      `Not done because an earlier step failed: delete the root access key ${OWN} this run signs its calls with.`,
    ]);
  });

  it('deletes nothing when the person declines, and leaves it to do', async () => {
    asRoot();
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [key(OTHER)] });
    const io = new ScriptedIoHost({ 'root-access-keys.confirm': false });

    const result = await runSteps(clients, io, 'root-access-keys');

    expect(stepOf(result)).toEqual({ id: 'root-access-keys', status: 'skipped', changes: [] });
    expect(deleted()).toEqual([]);
    expect(result.facts.leftToDo[0]).toMatch(/^Delete the root user's access keys: sign in as root at https:\/\/console\.aws\.amazon\.com/);
  });

  it('takes the default (delete) under --yes', async () => {
    asRoot();
    iam.on(ListAccessKeysCommand).resolvesOnce({ AccessKeyMetadata: [key(OTHER)] }).resolves({ AccessKeyMetadata: [] });
    iam.on(DeleteAccessKeyCommand).resolves({});
    const io = new ScriptedIoHost({}, { acceptDefaults: true });

    const result = await runSteps(clients, io, 'root-access-keys');

    expect(stepOf(result).status).toBe('updated');
    expect(deleted()).toEqual([{ AccessKeyId: OTHER }]);
  });

  it('plans the deletions in a dry run without asking or writing', async () => {
    asRoot();
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [key(OWN), key(OTHER)] });
    const io = new ScriptedIoHost({});

    const result = await runSteps(clients, io, 'root-access-keys', { dryRun: true });

    expect(stepOf(result).status).toBe('planned');
    expect(stepOf(result).changes.map((c) => c.target)).toEqual([`iam:root-access-key/${OTHER}`, `iam:root-access-key/${OWN}`]);
    expect(io.asked).toEqual([]);
    expect(deleted()).toEqual([]);
  });

  it('fails when ListAccessKeys still shows a key it deleted (verify by re-reading)', async () => {
    asRoot();
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [key(OTHER)] });
    iam.on(DeleteAccessKeyCommand).resolves({});
    const io = new ScriptedIoHost({ 'root-access-keys.confirm': true });

    const result = await runSteps(clients, io, 'root-access-keys');

    expect(stepOf(result).status).toBe('failed');
    expect(result.facts.failures['root-access-keys']).toContain(`ListAccessKeys still shows root access keys ${OTHER}`);
  });

  it('falls back to the console guide when AWS refuses ListAccessKeys without UserName for temporary root credentials (ValidationError)', async () => {
    asRoot();
    iam.on(ListAccessKeysCommand).rejects(awsError('ValidationError', 'Must specify userName when calling with non-User credentials'));
    iam.on(GetAccountSummaryCommand).resolves(summary(1));
    const io = new ScriptedIoHost({ 'root-access-keys.next': 'skip' });

    const result = await runSteps(clients, io, 'root-access-keys');

    expect(stepOf(result).status).toBe('manual');
    expect(deleted()).toEqual([]);
  });
});

describe('root-access-keys init as a non-root caller', () => {
  it('reports success only after a fresh GetAccountSummary reads AccountAccessKeysPresent 0 (deleted in the console meanwhile)', async () => {
    asAdmin();
    iam.on(GetAccountSummaryCommand).resolvesOnce(summary(1)).resolves(summary(0));
    const io = new ScriptedIoHost({ 'root-access-keys.next': 'recheck' });

    const result = await runSteps(clients, io, 'root-access-keys');

    expect(stepOf(result)).toEqual({ id: 'root-access-keys', status: 'updated', changes: [] });
    expect(iam.commandCalls(GetAccountSummaryCommand)).toHaveLength(2);
    expect(iam.commandCalls(ListAccessKeysCommand)).toHaveLength(0);
    expect(io.messages('info')[0]).toContain('https://console.aws.amazon.com/iam/home#/security_credentials');
    expect(result.facts.leftToDo).toEqual([]);
  });

  it('stays manual, with a line left to do, when the keys are still there', async () => {
    asAdmin();
    iam.on(GetAccountSummaryCommand).resolves(summary(1));
    const io = new ScriptedIoHost({ 'root-access-keys.next': ['recheck', 'skip'] });

    const result = await runSteps(clients, io, 'root-access-keys');

    expect(stepOf(result).status).toBe('manual');
    expect(io.messages('warn')).toEqual(['AWS still reports root access keys (GetAccountSummary: AccountAccessKeysPresent is 1).']);
    expect(result.facts.leftToDo).toHaveLength(1);
    expect(result.facts.leftToDo[0]).toContain('aws-bootstrap init --only root-access-keys');
  });

  it('asks nothing when AccountAccessKeysPresent is 0', async () => {
    asAdmin();
    iam.on(GetAccountSummaryCommand).resolves(summary(0));
    const io = new ScriptedIoHost({});

    const result = await runSteps(clients, io, 'root-access-keys');

    expect(stepOf(result)).toEqual({ id: 'root-access-keys', status: 'unchanged', changes: [] });
    expect(io.asked).toEqual([]);
  });
});
