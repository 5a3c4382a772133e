import { BudgetsClient } from '@aws-sdk/client-budgets';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/core/aws/client-factory.js';
import { RecordingIoHost } from '../support/recording-io-host.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const budgets = mockClient(BudgetsClient);

const clientsIn = (region: string) =>
  createAwsClients({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }, new RecordingIoHost());

beforeEach(() => {
  iam.reset();
  sts.reset();
  budgets.reset();
});

type Result = Awaited<ReturnType<typeof runSteps>>;
const stepOf = (result: Result) => result.report.steps.find((s) => s.id === 'billing-access')!;
const awsCalls = () => iam.calls().length + sts.calls().length + budgets.calls().length;

describe('billing-access init (no API reads or writes this setting)', () => {
  it('explains where to click, and stays manual with a line left to do when not activated', async () => {
    const io = new ScriptedIoHost({ 'billing-access.confirm': false });

    const result = await runSteps(await clientsIn('us-east-1'), io, 'billing-access');

    expect(stepOf(result)).toEqual({ id: 'billing-access', status: 'manual', changes: [] });
    const info = io.messages('info').join('\n');
    expect(info).toContain('https://console.aws.amazon.com/billing/home#/account');
    expect(info).toContain('"IAM user and role access to Billing information"');
    expect(info).toContain('"Edit"');
    expect(info).toContain('"Activate IAM Access"');
    expect(result.facts.leftToDo).toEqual([
      'Let IAM users and roles see billing: signed in as root, open https://console.aws.amazon.com/billing/home#/account, ' +
        '"IAM user and role access to Billing information", Edit, Activate IAM Access.',
    ]);
    expect(awsCalls()).toBe(0);
  });

  it('stays manual when the person says it is activated (it cannot be read), with nothing left to do', async () => {
    const io = new ScriptedIoHost({ 'billing-access.confirm': true });

    const result = await runSteps(await clientsIn('us-east-1'), io, 'billing-access');

    expect(stepOf(result)).toEqual({ id: 'billing-access', status: 'manual', changes: [] });
    expect(result.facts.leftToDo).toEqual([]);
    expect(io.asked).toEqual(['billing-access.confirm']);
    expect(awsCalls()).toBe(0);
  });

  it('defaults to "not activated" under --yes, so nothing is assumed', async () => {
    const io = new ScriptedIoHost({}, { acceptDefaults: true });

    const result = await runSteps(await clientsIn('us-east-1'), io, 'billing-access');

    expect(result.facts.leftToDo).toHaveLength(1);
  });

  it('links the Billing console of the partition (aws-us-gov)', async () => {
    const io = new ScriptedIoHost({ 'billing-access.confirm': false });

    const result = await runSteps(await clientsIn('us-gov-west-1'), io, 'billing-access');

    expect(io.messages('info').join('\n')).toContain('https://console.amazonaws-us-gov.com/billing/home#/account');
    expect(result.facts.leftToDo[0]).toContain('https://console.amazonaws-us-gov.com/billing/home#/account');
  });
});
