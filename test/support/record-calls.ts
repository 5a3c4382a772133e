import type { MiddlewareStack } from '@smithy/types';
import type { AwsClients } from '../../src/core/aws/client-factory.js';

/** Records the operation name of every call the clients make from now on (e.g. `CreateBudget`). */
export function recordCalls(clients: AwsClients): string[] {
  const calls: string[] = [];
  const stacks: MiddlewareStack<any, any>[] = [
    clients.iam().middlewareStack,
    clients.sts().middlewareStack,
    clients.budgets().middlewareStack,
  ];
  for (const stack of stacks) {
    stack.add(
      (next, context) => async (args) => {
        calls.push(String(context.commandName).replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'testCallRecorder' },
    );
  }
  return calls;
}

/** The calls that are not reads. */
export const writesIn = (calls: string[]) => calls.filter((c) => !/^(Get|List|Describe)/.test(c));
