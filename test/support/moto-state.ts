import { BudgetsClient, DescribeBudgetsCommand } from '@aws-sdk/client-budgets';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { plainClientConfig } from './moto-clients.js';
import { ACCOUNT_ID } from './moto-seed.js';

/**
 * moto's whole state as it serialises it (GET /moto-api/data.json): two equal snapshots mean the emulator
 * was not changed in between, byte for byte. `warmUp` first makes one read per service so that moto's lazily
 * created backends exist before the first snapshot.
 */
export async function motoSnapshot(endpoint: string): Promise<string> {
  const res = await fetch(`${endpoint}/moto-api/data.json`);
  if (!res.ok) throw new Error(`data.json: HTTP ${res.status}`);
  return res.text();
}

export async function warmUp(endpoint: string): Promise<void> {
  const config = plainClientConfig(endpoint);
  await new STSClient(config).send(new GetCallerIdentityCommand({}));
  await new IAMClient(config).send(new ListUsersCommand({}));
  await new BudgetsClient(config).send(new DescribeBudgetsCommand({ AccountId: ACCOUNT_ID }));
}
