import {
  CreateAccountAliasCommand,
  EntityAlreadyExistsException,
  IAMClient,
  ListAccountAliasesCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/core/aws/client-factory.js';
import { RecordingIoHost } from '../support/recording-io-host.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);

const clients = () =>
  createAwsClients({ region: 'us-east-1', credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' } }, new RecordingIoHost());

const taken = () => new EntityAlreadyExistsException({ message: 'The account alias acme-sandbox already exists.', $metadata: {} });

describe('account-alias init against a mocked IAM', () => {
  beforeEach(() => {
    iam.reset();
    sts.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/admin' });
  });
  afterEach(() => {
    iam.reset();
    sts.reset();
  });

  it('takes an EntityAlreadyExists as done when this account has the alias now (AWS answers so when a concurrent run set it first)', async () => {
    iam.on(ListAccountAliasesCommand).resolvesOnce({ AccountAliases: [] }).resolves({ AccountAliases: ['acme-sandbox'] });
    iam.on(CreateAccountAliasCommand).rejects(taken());
    const io = new ScriptedIoHost({ 'account-alias.alias': 'acme-sandbox', 'account-alias.confirm': true });
    const result = await runSteps(await clients(), io, 'account-alias');
    expect(result.report.steps.find((s) => s.id === 'account-alias')).toEqual({ id: 'account-alias', status: 'unchanged', changes: [] });
    expect(result.facts.signInUrl).toBe('https://acme-sandbox.signin.aws.amazon.com/console');
    expect(io.messages('info').join('\n')).toContain('was set meanwhile (by another run)');
    expect(io.messages('warn')).toEqual([]);
  });

  it('asks for another alias when another account has it (EntityAlreadyExists, and this account still has none)', async () => {
    iam.on(ListAccountAliasesCommand).resolvesOnce({ AccountAliases: [] }).resolvesOnce({ AccountAliases: [] }).resolves({ AccountAliases: ['acme-2'] });
    iam.on(CreateAccountAliasCommand, { AccountAlias: 'acme-sandbox' }).rejects(taken());
    iam.on(CreateAccountAliasCommand, { AccountAlias: 'acme-2' }).resolves({});
    const io = new ScriptedIoHost({ 'account-alias.alias': ['acme-sandbox', 'acme-2'], 'account-alias.confirm': true });
    const result = await runSteps(await clients(), io, 'account-alias');
    expect(result.report.steps.find((s) => s.id === 'account-alias')!.status).toBe('created');
    expect(io.messages('warn').join('\n')).toContain('taken by another AWS account');
    expect(iam.commandCalls(CreateAccountAliasCommand).map((c) => c.args[0].input.AccountAlias)).toEqual(['acme-sandbox', 'acme-2']);
  });
});
