import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { startMoto, type MotoServer } from './moto-server.js';

/** True when moto is installed; integration suites use `describe.skipIf(!motoAvailable)`. */
export const motoAvailable = inject('motoPython') !== '';

/**
 * One moto server per test file (files run in parallel, each against its own emulator), reset before each
 * test so every test starts from a fresh account. Stopped by its pid after the file.
 */
export function useMoto(options: Parameters<typeof startMoto>[1] = {}): { readonly server: MotoServer } {
  const holder: { server?: MotoServer } = {};
  beforeAll(async () => {
    holder.server = await startMoto(inject('motoPython'), options);
  });
  beforeEach(async () => {
    await holder.server!.reset();
  });
  afterAll(async () => {
    await holder.server?.stop();
  });
  return {
    get server() {
      if (!holder.server) throw new Error('moto is not running');
      return holder.server;
    },
  };
}
