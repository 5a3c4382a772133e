import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const SERVER_SCRIPT = fileURLToPath(new URL('../moto/moto_ext_server.py', import.meta.url));

export interface RootState {
  accountId?: string;
  mfaEnabled?: boolean;
  accessKeysPresent?: boolean;
  callerIsRoot?: boolean;
  /** The root user's access keys (at most 2); with callerIsRoot, ListAccessKeys/DeleteAccessKey without UserName act on them. */
  rootAccessKeys?: string[];
}

/** A moto server of our own (with test/moto's extensions) on a free loopback port. */
export interface MotoServer {
  endpoint: string;
  pid: number;
  /** Wipes every account's state (POST /moto-api/reset). */
  reset(): Promise<void>;
  /** Switches the root facts moto cannot otherwise present (root MFA, root keys, a root caller). */
  setRoot(state: RootState): Promise<void>;
  /** Switches moto's IAM authorization on: from now on every call is checked against the caller's policies. */
  enforceAuth(): Promise<void>;
  /**
   * Switches it off again. moto's reset does not: allowing a huge number of unauthenticated requests does, so the
   * next test (or a read-back) can act as moto's default user.
   */
  authOff(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto did not answer on ${endpoint} within 30 s:\n${log()}`);
}

/**
 * `http: 'plain'` serves moto's app on test/moto/plain_http_server.py (the benchmark's) instead of werkzeug's
 * threaded server, which moto_server uses and the integration tests keep.
 */
export async function startMoto(python: string, options: { http?: 'werkzeug' | 'plain' } = {}): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python, [SERVER_SCRIPT, '--http', options.http ?? 'werkzeug', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitUntilUp(endpoint, child, () => output);
  const post = async (path: string, body: string, contentType: string) => {
    const res = await fetch(`${endpoint}${path}`, { method: 'POST', body, headers: { 'content-type': contentType } });
    if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${await res.text()}`);
  };
  return {
    endpoint,
    pid: child.pid!,
    reset: () => post('/moto-api/reset', '', 'text/plain'),
    enforceAuth: () => post('/moto-api/reset-auth', '0', 'text/plain'),
    authOff: () => post('/moto-api/reset-auth', '1000000000', 'text/plain'),
    setRoot: (state) => post('/_aws-bootstrap/root', JSON.stringify(state), 'application/json'),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
