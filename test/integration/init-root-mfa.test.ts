import { describe, expect, it } from 'vitest';
import { motoClients } from '../support/moto-clients.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';
import { recordCalls } from '../support/record-calls.js';

/** Every call the core makes through these clients, by operation name. */

describe.skipIf(!motoAvailable)('init root-mfa against moto', () => {
  const moto = useMoto();
  const rootState = async () => (await (await fetch(`${moto.server.endpoint}/_aws-bootstrap/root`)).json()) as Record<string, unknown>;
  const stepOf = (result: Awaited<ReturnType<typeof runSteps>>) => result.report.steps.find((s) => s.id === 'root-mfa')!;

  it('guides to the console when GetAccountSummary reads no root MFA, re-reads on request, and leaves it to do', async () => {
    const before = await rootState();
    const clients = await motoClients(moto.server.endpoint);
    const calls = recordCalls(clients);
    const io = new ScriptedIoHost({ 'root-mfa.next': ['recheck', 'skip'] });

    const result = await runSteps(clients, io, 'root-mfa');

    expect(stepOf(result)).toEqual({ id: 'root-mfa', status: 'manual', changes: [] });
    expect(io.messages('info')[0]).toContain('https://console.aws.amazon.com/iam/home#/security_credentials');
    expect(io.messages('warn')).toEqual([
      'AWS still reports no MFA device for the root user (GetAccountSummary: AccountMFAEnabled is 0).',
    ]);
    expect(result.facts.leftToDo).toHaveLength(1);
    expect(calls.filter((c) => c === 'GetAccountSummary')).toHaveLength(2);
    expect(calls.every((c) => /^(Get|List|Describe)/.test(c))).toBe(true);
    expect(await rootState()).toEqual(before);
  });

  it('is unchanged, asking nothing, when the root user has MFA; a dry run reads the same', async () => {
    await moto.server.setRoot({ mfaEnabled: true });
    const clients = await motoClients(moto.server.endpoint);
    const io = new ScriptedIoHost({});

    expect(stepOf(await runSteps(clients, io, 'root-mfa'))).toEqual({ id: 'root-mfa', status: 'unchanged', changes: [] });
    expect(stepOf(await runSteps(clients, io, 'root-mfa', { dryRun: true })).status).toBe('unchanged');
    expect(io.asked).toEqual([]);
  });
});
