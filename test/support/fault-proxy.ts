import http from 'node:http';
import { freePort } from './moto-server.js';

/** One AWS request as the proxy saw it. */
export interface ProxiedRequest {
  /** `iam`, `sts`, `budgets`: from the SigV4 credential scope. */
  service: string;
  /** `CreateUser`, `DescribeBudget`... */
  operation: string;
  protocol: 'query' | 'json';
  write: boolean;
  /** The request body as sent (query form or JSON): tells identical reads apart from merely alike ones. */
  body: string;
  /** The fault answered instead of forwarding, if any. */
  fault?: Fault;
  /** performance.now() when the request had arrived, and when its answer was sent back. */
  arrivedAt: number;
  answeredAt?: number;
}

/** `throttle`: HTTP 400 Throttling / ThrottlingException. `server-error`: HTTP 500 ServiceFailure / InternalErrorException. */
export type Fault = 'throttle' | 'server-error';

export interface FaultProxyHooks {
  /** Before forwarding: a fault to answer instead. The request then never reaches the emulator. */
  fault?(request: ProxiedRequest): Fault | undefined;
  /**
   * After the emulator has answered (so a write has happened), before the answer is relayed: e.g. kill the
   * client, or interrupt it. The answer is relayed when this resolves, if the client is still there.
   */
  afterUpstream?(request: ProxiedRequest): Promise<void> | void;
}

export interface FaultProxy {
  endpoint: string;
  /** Every request so far, in arrival order. */
  readonly requests: ProxiedRequest[];
  hooks: FaultProxyHooks;
  close(): Promise<void>;
}

const READ = /^(Get|List|Describe)/;

function describe(headers: http.IncomingHttpHeaders, body: string): ProxiedRequest {
  const scope = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(headers.authorization ?? ''));
  const target = headers['x-amz-target'];
  if (target) {
    const operation = String(target).split('.')[1] ?? 'unknown';
    return { service: scope?.[1] ?? 'unknown', operation, protocol: 'json', write: !READ.test(operation), body, arrivedAt: performance.now() };
  }
  const operation = new URLSearchParams(body).get('Action') ?? 'unknown';
  return { service: scope?.[1] ?? 'unknown', operation, protocol: 'query', write: !READ.test(operation), body, arrivedAt: performance.now() };
}

/**
 * How many round trips the requests took one after another: a request is in round 1 + the highest round of
 * the requests answered before it arrived. Add a delay (afterUpstream) longer than a client needs to send
 * its independent requests, so that those land in one round.
 */
export function sequentialRounds(requests: readonly ProxiedRequest[]): { depth: number; rounds: string[][] } {
  const sorted = [...requests].sort((a, b) => a.arrivedAt - b.arrivedAt);
  const round = new Map<ProxiedRequest, number>();
  for (const r of sorted) {
    const before = sorted.filter((p) => p.answeredAt !== undefined && p.answeredAt <= r.arrivedAt).map((p) => round.get(p) ?? 0);
    round.set(r, 1 + Math.max(0, ...before));
  }
  const depth = Math.max(0, ...round.values());
  const rounds = Array.from({ length: depth }, (_, i) => sorted.filter((r) => round.get(r) === i + 1).map((r) => r.operation));
  return { depth, rounds };
}

/** The error body each protocol's SDK deserializer reads: the same shapes AWS sends. */
function faultResponse(request: ProxiedRequest, fault: Fault): { status: number; type: string; body: string } {
  const status = fault === 'throttle' ? 400 : 500;
  if (request.protocol === 'json') {
    const type = fault === 'throttle' ? 'ThrottlingException' : 'InternalErrorException';
    return {
      status,
      type: 'application/x-amz-json-1.1',
      body: JSON.stringify({ __type: type, Message: fault === 'throttle' ? 'Rate exceeded' : 'Internal error (injected by the test)' }),
    };
  }
  const code = fault === 'throttle' ? 'Throttling' : 'ServiceFailure';
  const kind = fault === 'throttle' ? 'Sender' : 'Receiver';
  return {
    status,
    type: 'text/xml',
    body:
      `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>${kind}</Type><Code>${code}</Code>` +
      `<Message>${fault === 'throttle' ? 'Rate exceeded' : 'Injected by the test'}</Message></Error>` +
      '<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>',
  };
}

/**
 * A loopback HTTP proxy in front of moto that can answer with throttling or 500s instead of forwarding, and
 * can act between the emulator's answer and relaying it (to kill or interrupt the client mid-write).
 */
export async function startFaultProxy(upstream: string, hooks: FaultProxyHooks = {}): Promise<FaultProxy> {
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const requests: ProxiedRequest[] = [];
  const proxy: FaultProxy = { endpoint: '', requests, hooks, close: async () => undefined };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const request = describe(req.headers, body.toString('utf8'));
      requests.push(request);
      const fault = proxy.hooks.fault?.(request);
      if (fault) {
        request.fault = fault;
        const answer = faultResponse(request, fault);
        res.writeHead(answer.status, { 'content-type': answer.type, 'content-length': Buffer.byteLength(answer.body) });
        request.answeredAt = performance.now();
        res.end(answer.body);
        return;
      }
      const up = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
        (upRes) => {
          const parts: Buffer[] = [];
          upRes.on('data', (c: Buffer) => parts.push(c));
          upRes.on('end', () => {
            void (async () => {
              await proxy.hooks.afterUpstream?.(request);
              if (res.destroyed || req.socket.destroyed) return;
              res.writeHead(upRes.statusCode ?? 502, upRes.headers);
              request.answeredAt = performance.now();
              res.end(Buffer.concat(parts));
            })();
          });
        },
      );
      up.on('error', (e) => {
        if (res.headersSent || res.destroyed) return;
        res.writeHead(502);
        res.end(String(e));
      });
      up.end(body);
    });
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      agent.destroy();
    });
  return proxy;
}
