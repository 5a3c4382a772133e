import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/moto-server.js';
import { isolatedEnv, MOTO_CREDENTIALS, runCli } from '../support/run-cli.js';

/**
 * An endpoint that accepts connections and never answers (a hung proxy, a firewall that swallows packets
 * after the handshake): the run must still end within 20 s, exit 3, with one paragraph naming the endpoint.
 */
describe('an endpoint that accepts and never answers', () => {
  let server: Server | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('exits 3 within 20 s naming the endpoint, with no stack trace', async () => {
    const port = await freePort();
    let connections = 0;
    server = createServer((socket) => {
      connections += 1;
      sockets.push(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${port}`;
    const started = Date.now();
    const result = await runCli(['check', '--endpoint-url', endpoint], { env: isolatedEnv(MOTO_CREDENTIALS), timeoutMs: 40_000 });
    const elapsed = Date.now() - started;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`Could not reach AWS at ${endpoint}`);
    expect(result.stderr).toMatch(/TimeoutError/);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(elapsed).toBeLessThan(20_000);
    // It did wait for an answer (and retried once): not a refusal mistaken for a timeout.
    expect(connections).toBeGreaterThanOrEqual(2);
  });
});
