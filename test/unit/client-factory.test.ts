import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAwsClients, resolveRegion, resolveRegionWithSource } from '../../src/core/aws/client-factory.js';
import { BootstrapRetryStrategy, MAX_ATTEMPTS } from '../../src/core/aws/retry-strategy.js';
import { RecordingIoHost } from '../support/recording-io-host.js';

const saved = { ...process.env };
beforeEach(() => {
  for (const k of Object.keys(process.env)) {
    if (k.startsWith('AWS_') && k !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED') delete process.env[k];
  }
  const dir = mkdtempSync(join(tmpdir(), 'aws-config-'));
  writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n[profile work]\nregion = ap-southeast-2\n');
  writeFileSync(join(dir, 'credentials'), '');
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
});
afterEach(() => {
  process.env = { ...saved };
});

describe('the AWS client factory', () => {
  it('takes the region from --region, then AWS_REGION, then the profile, then us-east-1', async () => {
    expect(await resolveRegion({ region: 'eu-central-1', profile: 'work' })).toBe('eu-central-1');
    process.env.AWS_REGION = 'us-west-2';
    expect(await resolveRegion({ profile: 'work' })).toBe('us-west-2');
    delete process.env.AWS_REGION;
    expect(await resolveRegion({ profile: 'work' })).toBe('ap-southeast-2');
    expect(await resolveRegion({})).toBe('eu-west-1');
    process.env.AWS_CONFIG_FILE = join(tmpdir(), 'no-such-aws-config');
    expect(await resolveRegion({})).toBe('us-east-1');
  });

  it('says where the region came from, for messages about a wrong region', async () => {
    expect(await resolveRegionWithSource({ region: 'eu-central-1', profile: 'work' })).toEqual({ region: 'eu-central-1', source: '--region' });
    process.env.AWS_REGION = 'us-west-2';
    expect(await resolveRegionWithSource({ profile: 'work' })).toEqual({ region: 'us-west-2', source: 'AWS_REGION' });
    delete process.env.AWS_REGION;
    expect(await resolveRegionWithSource({ profile: 'work' })).toEqual({ region: 'ap-southeast-2', source: 'profile "work"' });
    expect(await resolveRegionWithSource({})).toEqual({ region: 'eu-west-1', source: 'profile "default"' });
    process.env.AWS_PROFILE = 'work';
    expect(await resolveRegionWithSource({})).toEqual({ region: 'ap-southeast-2', source: 'profile "work"' });
    delete process.env.AWS_PROFILE;
    process.env.AWS_CONFIG_FILE = join(tmpdir(), 'no-such-aws-config');
    expect((await resolveRegionWithSource({})).region).toBe('us-east-1');
    const io = new RecordingIoHost();
    const clients = await createAwsClients({ region: 'eu-west-2' }, io);
    expect(clients.regionSource).toBe('--region');
    expect(io.messages.map((m) => m.text)).toContain('region: eu-west-2 (from --region); partition: aws');
  });

  it('sends Budgets to the partition global region, with our user agent, retries and endpoint', async () => {
    const io = new RecordingIoHost();
    const clients = await createAwsClients({ region: 'eu-west-2', endpointUrl: 'http://127.0.0.1:5000' }, io);
    expect(clients.partition).toBe('aws');
    expect(await clients.budgets().config.region()).toBe('us-east-1');
    expect(await clients.iam().config.region()).toBe('eu-west-2');
    expect(await clients.iam().config.maxAttempts()).toBe(MAX_ATTEMPTS);
    expect(await clients.iam().config.retryStrategy()).toBeInstanceOf(BootstrapRetryStrategy);
    // One strategy (one retry quota) per client.
    expect(await clients.iam().config.retryStrategy()).not.toBe(await clients.sts().config.retryStrategy());
    expect(clients.iam().config.customUserAgent).toEqual([['aws-bootstrap', expect.any(String)]]);
    const endpoint = await clients.sts().config.endpoint!();
    expect(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe('http://127.0.0.1:5000');
    expect(clients.iam()).toBe(clients.iam());
    expect(io.messages.map((m) => m.text)).toContain('endpoint override: http://127.0.0.1:5000 (--endpoint-url)');
  });

  // Its timeouts end a run against an endpoint that never answers: unresponsive-endpoint.test.ts (integration).
  it('gives every client one HTTP handler (one pool of kept-alive connections)', async () => {
    const clients = await createAwsClients({ region: 'eu-west-2', endpointUrl: 'http://127.0.0.1:5000' }, new RecordingIoHost());
    const handler = clients.iam().config.requestHandler;
    expect(clients.sts().config.requestHandler).toBe(handler);
    expect(clients.budgets().config.requestHandler).toBe(handler);
    expect(handler).toBeInstanceOf(NodeHttpHandler);
  });

  it('names the credential source without revealing the secret', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'super-secret';
    const clients = await createAwsClients({ region: 'us-east-1' }, new RecordingIoHost());
    const source = await clients.credentialSource();
    expect(source).toBe('environment variables (AWS_ACCESS_KEY_ID); long-term access key');
    expect(source).not.toContain('super-secret');
  });
});

describe('credentials that do not resolve', () => {
  it('fail once when none are found: whoever asks next (a client, the read plan) gets the same error without walking the chain again', async () => {
    const provider = vi.fn(async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    });
    const clients = await createAwsClients({ credentials: provider }, new RecordingIoHost());
    await expect(clients.accessKeyId()).rejects.toThrow('Could not load credentials');
    await expect(clients.accessKeyId()).rejects.toThrow('Could not load credentials');
    await expect(clients.iam().config.credentials()).rejects.toThrow('Could not load credentials');
    expect(provider).toHaveBeenCalledTimes(1);
  });

  it('are asked again after any other failure (a throttled AssumeRole)', async () => {
    let calls = 0;
    const provider = vi.fn(async () => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      return { accessKeyId: 'AKIA2', secretAccessKey: 's' };
    });
    const clients = await createAwsClients({ credentials: provider }, new RecordingIoHost());
    await expect(clients.accessKeyId()).rejects.toThrow('Rate exceeded');
    expect(await clients.accessKeyId()).toBe('AKIA2');
  });

  it('that resolved once are asked again after a failure (an expired session may be renewed)', async () => {
    let calls = 0;
    const provider = vi.fn(async () => {
      calls += 1;
      if (calls === 2) throw new Error('The SSO session has expired');
      return { accessKeyId: `AKIA${calls}`, secretAccessKey: 's' };
    });
    const clients = await createAwsClients({ credentials: provider }, new RecordingIoHost());
    expect(await clients.accessKeyId()).toBe('AKIA1');
    await expect(clients.accessKeyId()).rejects.toThrow('expired');
    expect(await clients.accessKeyId()).toBe('AKIA3');
  });
});

describe('the dry-run guard (readOnly clients)', () => {
  it('refuses every write before it is sent, and lets reads through', async () => {
    const { createServer } = await import('node:http');
    const { CreateGroupCommand, ListGroupsCommand } = await import('@aws-sdk/client-iam');
    const seen: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push(new URLSearchParams(body).get('Action') ?? '?');
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end('<ListGroupsResponse><ListGroupsResult><Groups/><IsTruncated>false</IsTruncated></ListGroupsResult></ListGroupsResponse>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const clients = await createAwsClients(
        {
          region: 'us-east-1',
          endpointUrl: `http://127.0.0.1:${port}`,
          readOnly: true,
          credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        },
        new RecordingIoHost(),
      );
      await expect(clients.iam().send(new ListGroupsCommand({}))).resolves.toMatchObject({ Groups: [] });
      await expect(clients.iam().send(new CreateGroupCommand({ GroupName: 'x' }))).rejects.toMatchObject({
        code: 'INTERNAL',
        message: expect.stringContaining('A dry run tried to call iam:CreateGroup; nothing was sent.'),
      });
      expect(seen).toEqual(['ListGroups']);
    } finally {
      server.close();
    }
  });
});

describe('writes in flight', () => {
  it('lists a write while it is unanswered, never a read, and forgets it once answered', async () => {
    const { createServer } = await import('node:http');
    let release: () => void = () => undefined;
    let held = false;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const answer = () => {
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.end('<CreateGroupResponse><CreateGroupResult><Group><GroupName>g</GroupName><GroupId>AGPA</GroupId><Arn>arn:aws:iam::123456789012:group/g</Arn><Path>/</Path><CreateDate>2026-12-01T00:00:00Z</CreateDate></Group></CreateGroupResult></CreateGroupResponse>');
        };
        if (body.includes('Action=CreateGroup')) {
          release = answer;
          held = true;
        }
        else {
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.end('<ListGroupsResponse><ListGroupsResult><Groups/><IsTruncated>false</IsTruncated></ListGroupsResult></ListGroupsResponse>');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const { CreateGroupCommand, ListGroupsCommand } = await import('@aws-sdk/client-iam');
      const clients = await createAwsClients(
        { region: 'us-east-1', endpointUrl: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
        new RecordingIoHost(),
      );
      await clients.iam().send(new ListGroupsCommand({}));
      expect(clients.writesInFlight()).toEqual([]);
      const write = clients.iam().send(new CreateGroupCommand({ GroupName: 'g' }));
      // The server holds the answer: the write is sent and unanswered.
      await vi.waitFor(() => expect(held).toBe(true));
      expect(clients.writesInFlight()).toEqual(['iam:CreateGroup']);
      release();
      await write;
      expect(clients.writesInFlight()).toEqual([]);
    } finally {
      server.close();
    }
  });
});
