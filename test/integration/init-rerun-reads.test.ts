import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedEnv, MOTO_CREDENTIALS, runCli } from '../support/run-cli.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

interface Seen {
  op: string;
  body: string;
}

/** A loopback proxy in front of moto that records every request the CLI sends: its operation and its body. */
async function recordingProxy(upstream: string) {
  const target = new URL(upstream);
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      const target_ = req.headers['x-amz-target'];
      const op = target_ ? String(target_).split('.').at(-1)! : (new URLSearchParams(text).get('Action') ?? '?');
      seen.push({ op, body: text });
      const up = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        },
      );
      up.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const isRead = (op: string) => /^(Get|List|Describe)/.test(op);

describe.skipIf(!motoAvailable)('init --config --yes re-run on a finished account (against moto)', () => {
  const moto = useMoto();

  it('makes no write and sends every read at most once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-bootstrap-rerun-'));
    const file = join(dir, 'acme.yaml');
    writeFileSync(
      file,
      [
        'accountAlias: acme-sandbox',
        'adminGroup:',
        '  name: Administrators',
        'adminUser:',
        '  name: alice',
        '  password: generate',
        `  passwordFile: ${JSON.stringify(join(dir, 'alice-password.txt'))}`,
        '  mfa: defer',
        'rootAccessKeys: report',
        'budget:',
        '  amount: 25',
        '  emails: [ops@example.com]',
        '',
      ].join('\n'),
    );
    const env = isolatedEnv(MOTO_CREDENTIALS);
    const first = await runCli(['init', '--config', file, '--yes', '--json', '--endpoint-url', moto.server.endpoint], { env });
    expect(first.code).toBe(0);

    const proxy = await recordingProxy(moto.server.endpoint);
    try {
      const second = await runCli(['init', '--config', file, '--yes', '--json', '--endpoint-url', proxy.endpoint], { env });
      expect(second.code).toBe(0);
      const statuses = (JSON.parse(second.stdout).steps as { status: string }[]).map((s) => s.status);
      expect(statuses.every((s) => ['unchanged', 'manual', 'skipped'].includes(s))).toBe(true);

      expect(proxy.seen.filter((r) => !isRead(r.op)).map((r) => r.op)).toEqual([]);
      const counts = new Map<string, number>();
      for (const r of proxy.seen) counts.set(`${r.op} ${r.body}`, (counts.get(`${r.op} ${r.body}`) ?? 0) + 1);
      const repeated = [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${n}x ${key}`);
      expect(repeated).toEqual([]);
      // Each operation once: the reads made ahead are exactly the ones the steps then make (same names, same input).
      expect(proxy.seen.map((r) => r.op).sort()).toEqual(
        [
          'GetAccountSummary',
          'GetCallerIdentity',
          'ListAccountAliases',
          'GetGroup',
          'ListAttachedGroupPolicies',
          'GetPolicy',
          'GetPolicyVersion',
          'GetUser',
          'ListGroupsForUser',
          'GetLoginProfile',
          'ListAttachedUserPolicies',
          'DescribeBudget',
          'DescribeNotificationsForBudget',
          'DescribeSubscribersForNotification',
        ].sort(),
      );
    } finally {
      await proxy.close();
    }
  });
});
