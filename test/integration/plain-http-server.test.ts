import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { ACME_STATUSES, statusesOf, writeAcmeConfig } from '../support/acme-config.js';
import { isolatedEnv, MOTO_CREDENTIALS, runCli } from '../support/run-cli.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

/** One raw request: the body written in the given pieces (no Content-Length, so Node sends it chunked). */
function rawRequest(endpoint: string, path: string, pieces: string[], agent: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${endpoint}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const piece of pieces) req.write(piece);
    req.end();
  });
}

// The benchmark's server (moto_ext_server.py --http plain): the integration tests otherwise run werkzeug's.
describe.skipIf(!motoAvailable)('moto behind the plain HTTP server (the benchmark runs it)', () => {
  const moto = useMoto({ http: 'plain' });

  it('serves the CLI: init sets a fresh account up, a re-run has nothing to do, check passes what init did', async () => {
    const { file } = writeAcmeConfig();
    const env = isolatedEnv(MOTO_CREDENTIALS);
    const args = ['--yes', '--json', '--endpoint-url', moto.server.endpoint];
    const first = await runCli(['init', '--config', file, ...args], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(statusesOf(first.stdout)).toEqual(ACME_STATUSES.fresh);
    const again = await runCli(['init', '--config', file, ...args], { env });
    expect(statusesOf(again.stdout)).toEqual(ACME_STATUSES.again);
    const check = await runCli(['check', '--json', '--endpoint-url', moto.server.endpoint], { env });
    const controls = JSON.parse(check.stdout).controls as { id: string; status: string }[];
    expect(Object.fromEntries(controls.map((c) => [c.id, c.status]))).toMatchObject({
      'account-alias': 'pass',
      'admin-group': 'pass',
      'admin-user': 'pass',
      budget: 'pass',
    });
  });

  it('reads chunked request bodies and keeps the connection for the next request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await rawRequest(moto.server.endpoint, '/_aws-bootstrap/root', ['{"mfaEnabled":', ' true}'], agent);
      expect(first.status).toBe(200);
      expect(JSON.parse(first.body)).toMatchObject({ mfaEnabled: true });
      const bad = await rawRequest(moto.server.endpoint, '/_aws-bootstrap/root', ['not json'], agent);
      expect(bad.status).toBe(400);
      const sockets = new Set<unknown>();
      agent.on('free', (socket) => sockets.add(socket));
      await rawRequest(moto.server.endpoint, '/_aws-bootstrap/root', ['{}'], agent);
      await rawRequest(moto.server.endpoint, '/_aws-bootstrap/root', ['{}'], agent);
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});
