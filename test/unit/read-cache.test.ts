import { CreateGroupCommand, GetUserCommand, ListGroupsCommand, paginateListGroups } from '@aws-sdk/client-iam';
import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '../../src/core/aws/client-factory.js';
import { stableJson } from '../../src/core/aws/read-cache.js';
import { RecordingIoHost } from '../support/recording-io-host.js';
import { runSteps } from '../support/run-steps.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';

/**
 * A tiny IAM over HTTP (query protocol): every request reaches it through the real client stack (the cache,
 * serialisation, retries), so what it records is exactly what would have gone to AWS.
 */
interface FakeIam {
  requests: string[];
  /** AccountMFAEnabled of the answers to GetAccountSummary, in order (the last one repeats). */
  rootMfa: number[];
  /** Answers GetUser for a name with this error (code, HTTP status) instead of the user. */
  failGetUser: Map<string, { code: string; status: number; times: number }>;
}

const user = (name: string) =>
  `<GetUserResponse><GetUserResult><User><Path>/</Path><UserName>${name}</UserName><UserId>AIDA${name.toUpperCase()}</UserId>` +
  `<Arn>arn:aws:iam::123456789012:user/${name}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></User></GetUserResult></GetUserResponse>`;
const group = (name: string) =>
  `<Path>/</Path><GroupName>${name}</GroupName><GroupId>AGPA${name.toUpperCase()}</GroupId>` +
  `<Arn>arn:aws:iam::123456789012:group/${name}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate>`;
const error = (code: string) =>
  `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${code}</Message></Error><RequestId>r</RequestId></ErrorResponse>`;

let server: Server;
let fake: FakeIam;
let endpoint: string;
let gate: Promise<void> | undefined;

beforeEach(async () => {
  fake = { requests: [], rootMfa: [0], failGetUser: new Map() };
  gate = undefined;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', async () => {
      const form = new URLSearchParams(body);
      const action = form.get('Action') ?? '?';
      const marker = form.get('Marker');
      fake.requests.push(`${action}${form.get('UserName') ? ` ${form.get('UserName')}` : ''}${marker ? ` after ${marker}` : ''}`);
      if (gate) await gate;
      const send = (status: number, xml: string) => {
        res.writeHead(status, { 'content-type': 'text/xml' });
        res.end(xml);
      };
      if (action === 'GetUser') {
        const name = form.get('UserName') ?? '';
        const failure = fake.failGetUser.get(name);
        if (failure && failure.times > 0) {
          failure.times -= 1;
          return send(failure.status, error(failure.code));
        }
        return send(200, user(name));
      }
      if (action === 'ListGroups') {
        const page = marker
          ? `<Groups><member>${group('second')}</member></Groups><IsTruncated>false</IsTruncated>`
          : `<Groups><member>${group('first')}</member></Groups><IsTruncated>true</IsTruncated><Marker>page2</Marker>`;
        return send(200, `<ListGroupsResponse><ListGroupsResult>${page}</ListGroupsResult></ListGroupsResponse>`);
      }
      if (action === 'GetAccountSummary') {
        const mfa = fake.rootMfa.length > 1 ? fake.rootMfa.shift()! : fake.rootMfa[0]!;
        return send(
          200,
          '<GetAccountSummaryResponse><GetAccountSummaryResult><SummaryMap>' +
            `<entry><key>AccountMFAEnabled</key><value>${mfa}</value></entry>` +
            '<entry><key>AccountAccessKeysPresent</key><value>0</value></entry>' +
            '</SummaryMap></GetAccountSummaryResult></GetAccountSummaryResponse>',
        );
      }
      if (action === 'GetCallerIdentity') {
        return send(
          200,
          '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/alice</Arn>' +
            '<UserId>AIDAALICE</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>',
        );
      }
      if (action === 'CreateGroup') {
        return send(200, `<CreateGroupResponse><CreateGroupResult><Group>${group(form.get('GroupName') ?? '')}</Group></CreateGroupResult></CreateGroupResponse>`);
      }
      send(400, error('InvalidAction'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterEach(() => {
  server.close();
});

const clientsFor = (readCache: boolean, io = new RecordingIoHost()): Promise<AwsClients> =>
  createAwsClients(
    { region: 'us-east-1', endpointUrl: endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, readCache },
    io,
  );
const getUser = (clients: AwsClients, name: string) => clients.iam().send(new GetUserCommand({ UserName: name }));
const listAllGroups = async (clients: AwsClients) => {
  const names: string[] = [];
  for await (const page of paginateListGroups({ client: clients.iam() }, {})) {
    for (const g of page.Groups ?? []) names.push(g.GroupName!);
  }
  return names;
};

describe("the run's read cache (readCache)", () => {
  it('sends an identical read once, also while the first is still in flight, and gives each caller its own copy', async () => {
    const clients = await clientsFor(true);
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const both = Promise.all([getUser(clients, 'alice'), getUser(clients, 'alice')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    open();
    const [a, b] = await both;
    const c = await getUser(clients, 'alice');
    expect(fake.requests).toEqual(['GetUser alice']);
    expect(a.User?.UserName).toBe('alice');
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    a.User!.UserName = 'changed by a caller';
    expect((await getUser(clients, 'alice')).User?.UserName).toBe('alice');
    expect(fake.requests).toEqual(['GetUser alice']);
  });

  it('keeps reads with different inputs apart', async () => {
    const clients = await clientsFor(true);
    const [alice, bob] = await Promise.all([getUser(clients, 'alice'), getUser(clients, 'bob')]);
    await getUser(clients, 'bob');
    expect(alice.User?.UserName).toBe('alice');
    expect(bob.User?.UserName).toBe('bob');
    expect(fake.requests).toEqual(['GetUser alice', 'GetUser bob']);
  });

  it('forgets every read when anything else (a write) is sent, including reads in flight during the write', async () => {
    const clients = await clientsFor(true);
    await Promise.all([getUser(clients, 'alice'), listAllGroups(clients)]);
    await clients.iam().send(new CreateGroupCommand({ GroupName: 'admins' }));
    await Promise.all([getUser(clients, 'alice'), listAllGroups(clients)]);
    expect(fake.requests.filter((r) => r === 'GetUser alice')).toHaveLength(2);
    expect(fake.requests.filter((r) => r.startsWith('ListGroups'))).toHaveLength(4);

    fake.requests.length = 0;
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const during = Promise.all([clients.iam().send(new CreateGroupCommand({ GroupName: 'more' })), getUser(clients, 'alice')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    open();
    gate = undefined;
    await during;
    await getUser(clients, 'alice');
    expect(fake.requests).toEqual(['CreateGroup', 'GetUser alice', 'GetUser alice']);
  });

  it('pages a paginated read as usual, each page kept on its own', async () => {
    const clients = await clientsFor(true);
    expect(await listAllGroups(clients)).toEqual(['first', 'second']);
    expect(await listAllGroups(clients)).toEqual(['first', 'second']);
    expect(fake.requests).toEqual(['ListGroups', 'ListGroups after page2']);
  });

  it('keeps no failure, so the read is sent again; "no such entity" is an answer, kept until a write', async () => {
    const clients = await clientsFor(true);
    fake.failGetUser.set('alice', { code: 'ValidationError', status: 400, times: 1 });
    await expect(getUser(clients, 'alice')).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(getUser(clients, 'alice')).resolves.toMatchObject({ User: { UserName: 'alice' } });
    expect(fake.requests).toEqual(['GetUser alice', 'GetUser alice']);

    fake.requests.length = 0;
    fake.failGetUser.set('bob', { code: 'NoSuchEntity', status: 404, times: 1 });
    await expect(getUser(clients, 'bob')).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    await expect(getUser(clients, 'bob')).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    expect(fake.requests).toEqual(['GetUser bob']);
    await clients.iam().send(new CreateGroupCommand({ GroupName: 'admins' }));
    await expect(getUser(clients, 'bob')).resolves.toMatchObject({ User: { UserName: 'bob' } });
    expect(fake.requests).toEqual(['GetUser bob', 'CreateGroup', 'GetUser bob']);
  });

  it('forgetReads() makes the next read go to AWS', async () => {
    const clients = await clientsFor(true);
    await getUser(clients, 'alice');
    clients.forgetReads();
    await getUser(clients, 'alice');
    expect(fake.requests).toEqual(['GetUser alice', 'GetUser alice']);
  });

  it('in init, a console re-check reads AWS again although nothing was written (the person changed it meanwhile)', async () => {
    const clients = await clientsFor(true);
    fake.rootMfa = [0, 1];
    const io = new ScriptedIoHost({ 'root-mfa.next': 'recheck' });
    const { report } = await runSteps(clients, io, 'root-mfa');
    expect(report.steps.find((s) => s.id === 'root-mfa')?.status).toBe('updated');
    // One read for the first look, one for the re-check.
    expect(fake.requests).toEqual(['GetAccountSummary', 'GetAccountSummary']);
  });

  it('in init, steps share reads (started ahead) when a file answers, and read afresh in the wizard', async () => {
    const answers = { 'root-mfa.next': 'skip', 'root-access-keys.next': 'skip' };
    const wizard = new ScriptedIoHost(answers);
    await runSteps(await clientsFor(true), wizard, 'root-mfa,root-access-keys');
    // A person may take minutes between two steps: the second step looks again.
    expect(fake.requests.sort()).toEqual(['GetAccountSummary', 'GetAccountSummary', 'GetCallerIdentity']);

    fake.requests.length = 0;
    class FileLikeHost extends ScriptedIoHost {
      knownAnswer(): string | undefined {
        return undefined;
      }
    }
    await runSteps(await clientsFor(true), new FileLikeHost(answers), 'root-mfa,root-access-keys');
    expect(fake.requests.sort()).toEqual(['GetAccountSummary', 'GetCallerIdentity']);
  });

  it('is off unless asked for: every read is sent (check and other callers see AWS as it is)', async () => {
    const clients = await clientsFor(false);
    expect(clients.cachesReads).toBe(false);
    await getUser(clients, 'alice');
    await getUser(clients, 'alice');
    await clients.iam().send(new ListGroupsCommand({}));
    clients.forgetReads();
    expect(fake.requests).toEqual(['GetUser alice', 'GetUser alice', 'ListGroups']);
  });

  it('keys on the input, whatever the order of its keys', () => {
    expect(stableJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: 3 } })).toBe(stableJson({ a: { c: 3, d: [2, { e: 0, f: 1 }] }, b: 1 }));
    expect(stableJson({ a: 1 })).not.toBe(stableJson({ a: '1' }));
  });
});
