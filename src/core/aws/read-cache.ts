import type { MiddlewareStack } from '@smithy/types';
import type { IoHost } from '../io-host.js';
import { isAwsErrorNamed } from './aws-error-names.js';
import { isReadOperation, operationOf } from './operation.js';

/**
 * One run's reads, kept for reuse: an identical read (same service, operation and input) is sent once and its
 * answer shared, including a read still in flight. Any other call (a write) forgets every read, before it is
 * sent and again when it ends, so a read after a write always goes to AWS. Failures are not kept (a retry sends
 * the read again), except "it does not exist" (IAM's NoSuchEntity, Budgets' NotFound), which is an answer like any
 * other until the next write. Pages of a paginated read differ by their token, so each page is kept on its own.
 */
export interface ReadCache {
  /** Adds the cache to one client; every client of a run shares the same cache. */
  install(stack: MiddlewareStack<any, any>, service: string): void;
  /** Forgets every read: the next reads go to AWS (for a fresh look after a person changed something). */
  clear(): void;
  /** Every distinct read asked for in this run, whatever its outcome and even if forgotten since. */
  reads(): AskedRead[];
  /** Whether this read is kept (answered, or on its way): asking for it now sends nothing. */
  holds(service: string, operation: string, input: unknown): boolean;
}

/** One distinct read of a run, and how many times it was asked for (sent or answered from the cache). */
export interface AskedRead {
  service: string;
  operation: string;
  input: Record<string, unknown>;
  asks: number;
}

type Result = { output: unknown; response: unknown };

/** What identifies a read: its service, operation and input (key order does not matter). */
export function readKey(service: string, operation: string, input: unknown): string {
  return `${service}:${operation} ${stableJson(input)}`;
}

export function createReadCache(io: IoHost): ReadCache {
  const entries = new Map<string, Promise<Result>>();
  const asked = new Map<string, AskedRead>();
  const clear = () => entries.clear();
  return {
    clear,
    reads: () => [...asked.values()].map((r) => ({ ...r })),
    holds: (service, operation, input) => entries.has(readKey(service, operation, input)),
    install(stack, service) {
      stack.add(
        (next, context) => async (args) => {
          const operation = operationOf(context);
          if (!isReadOperation(operation)) {
            clear();
            try {
              return await next(args);
            } finally {
              // Reads that started while the write was in flight may show the state before it.
              clear();
            }
          }
          const key = readKey(service, operation, args.input);
          const record = asked.get(key);
          if (record) record.asks += 1;
          else asked.set(key, { service, operation, input: copy(args.input ?? {}), asks: 1 });
          let pending = entries.get(key);
          if (pending) {
            io.debug(`${service}:${operation} answered by this run's earlier identical read`);
          } else {
            pending = next(args) as Promise<Result>;
            const sent = pending;
            entries.set(key, sent);
            sent.catch((error: unknown) => {
              if (entries.get(key) === sent && !isAwsErrorNamed(error, 'NoSuchEntity', 'NotFound')) entries.delete(key);
            });
          }
          const result = await pending;
          // Each caller gets its own copy: nobody can change what the next caller is given.
          return { ...result, output: copy(result.output) } as any;
        },
        { step: 'initialize', name: 'awsBootstrapReadCache', priority: 'high' },
      );
    },
  };
}

function copy<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

/** JSON with object keys sorted, so that the same input built in a different order is the same key. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
