import { describe, expect, it } from 'vitest';
import { motoClients } from '../support/moto-clients.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';
import { recordCalls } from '../support/record-calls.js';

/** Every call the core makes through these clients, by operation name. */

describe.skipIf(!motoAvailable)('init billing-access against moto', () => {
  const moto = useMoto();
  const stepOf = (result: Awaited<ReturnType<typeof runSteps>>) => result.report.steps.find((s) => s.id === 'billing-access')!;

  it('is a manual step either way, makes no AWS call, and is left to do only when not activated', async () => {
    const clients = await motoClients(moto.server.endpoint);
    const calls = recordCalls(clients);

    const declined = await runSteps(clients, new ScriptedIoHost({ 'billing-access.confirm': false }), 'billing-access');
    const confirmed = await runSteps(clients, new ScriptedIoHost({ 'billing-access.confirm': true }), 'billing-access');

    expect(stepOf(declined)).toEqual({ id: 'billing-access', status: 'manual', changes: [] });
    expect(declined.facts.leftToDo).toHaveLength(1);
    expect(declined.facts.leftToDo[0]).toContain('https://console.aws.amazon.com/billing/home#/account');
    expect(stepOf(confirmed)).toEqual({ id: 'billing-access', status: 'manual', changes: [] });
    expect(confirmed.facts.leftToDo).toEqual([]);
    expect(calls).toEqual([]);
  });
});
