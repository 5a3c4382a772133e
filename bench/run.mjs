#!/usr/bin/env node
// The speed benchmark (`npm run bench`, which builds first). Plain Node ESM: it runs the built dist/cli.cjs only
// by spawning it, against a moto server behind a loopback proxy that delays every request by 50 ms and counts
// requests per operation, and prints a table of figures, targets and PASS/FAIL (exit 1 if any target fails).
//
// Environment: MOTO_PYTHON (a python with moto; default python3), BENCH_RUNS (CLI runs per figure, default 7),
// BENCH_STARTUP_RUNS (default 15), BENCH_AWS_RUNS (AWS CLI script runs, default 3), BENCH_DELAY_MS (default 50).
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILT_CLI = join(ROOT, 'dist', 'cli.cjs');
const MOTO_SCRIPT = join(ROOT, 'test', 'moto', 'moto_ext_server.py');
const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 15);
const AWS_RUNS = Number(process.env.BENCH_AWS_RUNS ?? 3);
const ACCOUNT_ID = '123456789012';
const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';
const WORK = mkdtempSync(join(tmpdir(), 'aws-bootstrap-bench-'));
/** The CLI that is measured: a copy of the build, so that a rebuild during the benchmark cannot change it. */
const CLI = join(WORK, 'dist', 'cli.cjs');

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${Math.round(x)} ms`;

// ---------------------------------------------------------------------------------------------- processes

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a command to completion; resolves with its exit code, output and wall time in ms. */
function run(command, args, env, { timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ code, stdout, stderr, wall });
    });
  });
}

function canImportMoto(python) {
  try {
    execFileSync(python, ['-c', 'import moto.server, moto.budgets, moto.iam'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

async function startMoto() {
  const python = [process.env.MOTO_PYTHON, 'python3'].find((p) => p && canImportMoto(p));
  if (!python) throw new Error('moto is not installed (pip install "moto[server]"), or set MOTO_PYTHON');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // `--http plain`: moto's app without werkzeug's threaded development server, which adds several ms to each
  // request (test/moto/plain_http_server.py). moto answers one request at a time either way.
  const child = spawn(python, [MOTO_SCRIPT, '--http', 'plain', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output = (output + d).slice(-20_000)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`moto did not answer within 30 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    pid: child.pid,
    async setRoot(state) {
      const res = await fetch(`${endpoint}/_aws-bootstrap/root`, {
        method: 'POST',
        body: JSON.stringify(state),
        headers: { 'content-type': 'application/json' },
      });
      if (!res.ok) throw new Error(`setRoot: HTTP ${res.status}`);
    },
    stop() {
      if (child.exitCode !== null) return Promise.resolve();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5_000);
      return exited.finally(() => clearTimeout(timer));
    },
  };
}

// ---------------------------------------------------------------------------------------------- the proxy

/** The operation, service and parameters of one AWS request (query protocol form body, or JSON with X-Amz-Target). */
function describeRequest(headers, body) {
  const auth = String(headers.authorization ?? '');
  const scope = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(auth);
  let service = scope?.[1];
  const target = headers['x-amz-target'];
  if (target) {
    const [prefix, op] = String(target).split('.');
    let params = {};
    try {
      params = body ? JSON.parse(body) : {};
    } catch {
      // not JSON
    }
    return { service: service ?? prefix, op, params, protocol: 'json' };
  }
  const form = new URLSearchParams(body);
  const op = form.get('Action') ?? 'unknown';
  const params = {};
  for (const [k, v] of form) if (k !== 'Action' && k !== 'Version') params[k] = v;
  return { service: service ?? 'unknown', op, params, protocol: 'query' };
}

const PAGINATION_KEYS = ['Marker', 'NextToken'];
const isContinuation = (r) => PAGINATION_KEYS.some((k) => r.params[k] !== undefined && r.params[k] !== '');
const isRead = (op) => /^(Get|List|Describe)/.test(op);

async function startProxy(upstream) {
  const target = { port: Number(new URL(upstream).port), active: false, queue: [] };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const state = { delay: DELAY_MS, requests: [] };
  // moto answers one request at a time. The proxy hands it one request at a time and queues the rest itself, so
  // a request's upstreamMs is moto's service time alone, not its wait behind others (which the CLI's wall time
  // still includes).
  const next = () => {
    if (target.active || target.queue.length === 0) return;
    target.active = true;
    target.queue.shift()();
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const entry = { ...describeRequest(req.headers, body.toString('utf8')), upstreamMs: 0, start: performance.now(), end: 0 };
      state.requests.push(entry);
      if (state.delay > 0) await new Promise((r) => setTimeout(r, state.delay));
      await new Promise((turn) => {
        target.queue.push(turn);
        next();
      });
      const started = process.hrtime.bigint();
      let done = false;
      const settle = () => {
        if (!done) {
          entry.upstreamMs = Number(process.hrtime.bigint() - started) / 1e6;
          target.active = false;
          next();
        }
        done = true;
      };
      const up = http.request(
        { host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
          upRes.on('end', settle);
          res.on('finish', () => (entry.end = performance.now()));
        },
      );
      up.on('error', (e) => {
        settle();
        res.writeHead(502);
        res.end(String(e));
      });
      up.end(body);
    });
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    state,
    take() {
      const taken = state.requests;
      state.requests = [];
      return taken;
    },
    close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections?.(); agent.destroy(); }),
  };
}

/** Sequential depth: a request is in round 1 + the highest round of the requests that had ended before it began. */
function roundTrips(requests) {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  let depth = 0;
  for (const r of sorted) {
    r.round = 1 + Math.max(0, ...sorted.filter((p) => p !== r && p.end && p.end <= r.start).map((p) => p.round ?? 0));
    depth = Math.max(depth, r.round);
  }
  return depth;
}
const rounds = (requests) => {
  roundTrips(requests);
  const byRound = {};
  for (const r of requests) (byRound[r.round] ??= []).push(r.op);
  return Object.entries(byRound).map(([k, ops]) => `${k}: ${ops.join(' ')}`).join(' | ');
};

const countByOp = (requests) => {
  const counts = {};
  for (const r of requests) counts[r.op] = (counts[r.op] ?? 0) + 1;
  return counts;
};
const fmtCounts = (counts) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op}×${n}`)
    .join(', ');

// ---------------------------------------------------------------------------------------------- seeding

async function seeder(endpoint) {
  const iamSdk = await import('@aws-sdk/client-iam');
  const budgetsSdk = await import('@aws-sdk/client-budgets');
  const config = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 3,
  };
  const iam = new iamSdk.IAMClient(config);
  const budgets = new budgetsSdk.BudgetsClient(config);
  const I = (name, input) => iam.send(new iamSdk[`${name}Command`](input));
  return {
    iam: I,
    async finishedAccount() {
      await I('CreateAccountAlias', { AccountAlias: 'acme-sandbox' });
      await I('CreateGroup', { GroupName: 'Administrators' });
      await I('AttachGroupPolicy', { GroupName: 'Administrators', PolicyArn: ADMIN_POLICY });
      await I('CreateUser', { UserName: 'alice' });
      await I('AddUserToGroup', { GroupName: 'Administrators', UserName: 'alice' });
      await I('CreateLoginProfile', { UserName: 'alice', Password: 'Correct-Horse-Battery-9', PasswordResetRequired: true });
      const device = await I('CreateVirtualMFADevice', { VirtualMFADeviceName: 'alice' });
      await I('EnableMFADevice', {
        UserName: 'alice',
        SerialNumber: device.VirtualMFADevice.SerialNumber,
        AuthenticationCode1: '123456',
        AuthenticationCode2: '654321',
      });
      await budgets.send(
        new budgetsSdk.CreateBudgetCommand({
          AccountId: ACCOUNT_ID,
          Budget: {
            BudgetName: 'monthly-cost-budget',
            BudgetType: 'COST',
            TimeUnit: 'MONTHLY',
            BudgetLimit: { Amount: '25', Unit: 'USD' },
          },
          NotificationsWithSubscribers: [
            {
              Notification: {
                NotificationType: 'ACTUAL',
                ComparisonOperator: 'GREATER_THAN',
                Threshold: 80,
                ThresholdType: 'PERCENTAGE',
              },
              Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'ops@example.com' }],
            },
          ],
        }),
      );
    },
  };
}

async function inParallel(items, concurrency, fn) {
  let next = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}

// ---------------------------------------------------------------------------------------------- the CLI

/**
 * One home directory for every run, as a user has: from the second run of a command on, the launcher finds V8's
 * compiled code of the CLI in HOME/.cache/aws-bootstrap. `COLD` turns that cache off (a fresh CI container).
 */
const HOME = mkdtempSync(join(WORK, 'home-'));
const COLD = { NODE_DISABLE_COMPILE_CACHE: '1' };

function cliEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('AWS_') && !['CI', 'FORCE_COLOR', 'NO_COLOR', 'XDG_CACHE_HOME', 'NODE_DISABLE_COMPILE_CACHE'].includes(k)) env[k] = v;
  }
  return {
    ...env,
    HOME,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    ...extra,
  };
}

const cli = (args, env = cliEnv()) => run(process.execPath, [CLI, ...args], env);

async function timeRuns(n, fn) {
  const walls = [];
  let last;
  for (let i = 0; i < n; i++) {
    last = await fn(i);
    walls.push(last.wall);
  }
  return { median: median(walls), walls, last };
}

/**
 * Runs `check --json` through the proxy n times; the request log of every run is kept. `envFor(i)` gives run i's
 * environment (i = -1: the first, untimed run).
 */
async function benchCheck(proxy, n, env = cliEnv(), envFor = () => env) {
  await cli(['check', '--json', '--endpoint-url', proxy.endpoint], envFor(-1)); // a first run, as every later one has had
  proxy.take();
  const runs = [];
  const firstRequest = [];
  const afterLast = [];
  const startup = [];
  const timed = await timeRuns(n, async (i) => {
    startup.push((await cli(['--version'], env)).wall);
    const t0 = performance.now();
    const r = await cli(['check', '--json', '--endpoint-url', proxy.endpoint], envFor(i));
    const t1 = performance.now();
    const reqs = proxy.take();
    runs.push(reqs);
    if (reqs.length) {
      firstRequest.push(Math.min(...reqs.map((q) => q.start)) - t0);
      afterLast.push(t1 - Math.max(...reqs.map((q) => q.end)));
    }
    return r;
  });
  return { ...timed, runs, firstRequestMs: median(firstRequest), afterLastMs: median(afterLast), startupMs: median(startup) };
}

/**
 * "Start-up + 4 round trips" for runs whose start-up (`--version`) was timed beside them, one before each: this
 * machine's speed drifts by tens of ms within minutes, so a start-up timed at the beginning of the benchmark
 * would flatter or wrong figures taken later.
 */
const boundFor = (startupMs, rtt) => startupMs + 4 * (DELAY_MS + rtt);

// ---------------------------------------------------------------------------------------------- the AWS CLI

function findAwsCli() {
  let path;
  try {
    path = execFileSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).trim();
  } catch {
    return { reason: 'no `aws` on PATH (install Debian `awscli` or AWS CLI v2 to get this comparison)' };
  }
  // A pyenv shim adds a bash wrapper to every call; measure the real program, not the shim.
  if (path.includes('/.pyenv/shims/')) {
    try {
      path = execFileSync('pyenv', ['which', 'aws'], { encoding: 'utf8' }).trim() || path;
    } catch {
      // keep the shim
    }
  }
  try {
    const version = execFileSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { path: realpathSync(path), version: version.trim() };
  } catch (e) {
    return { reason: `\`aws --version\` failed: ${String(e.stderr ?? e.message).trim().split('\n')[0]}` };
  }
}

/** botocore's xform_name: ListMFADevices -> list-mfa-devices. */
const kebab = (op) =>
  op
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();

/** Query-protocol form fields (Foo.member.1=...) back into the JSON input the AWS CLI takes. */
function queryParamsToInput(params) {
  const input = {};
  for (const [key, value] of Object.entries(params)) {
    if (PAGINATION_KEYS.includes(key) || key === 'MaxItems') continue;
    const member = /^(\w+)\.member\.(\d+)$/.exec(key);
    if (member) (input[member[1]] ??= [])[Number(member[2]) - 1] = value;
    else input[key] = value;
  }
  return input;
}

/**
 * The same reads the CLI made, one after another, as a shell script of `aws` calls: each distinct request (by
 * operation and parameters; continuation pages are the AWS CLI's own business) once, in the order first seen.
 */
function awsScript(aws, requests, endpoint, name) {
  const seen = new Set();
  const lines = ['#!/bin/sh', 'set -e'];
  let i = 0;
  for (const r of requests) {
    if (isContinuation(r)) continue;
    const input =
      r.protocol === 'json'
        ? Object.fromEntries(Object.entries(r.params).filter(([k]) => !PAGINATION_KEYS.includes(k) && k !== 'MaxResults'))
        : queryParamsToInput(r.params);
    const key = `${r.service} ${r.op} ${JSON.stringify(input)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const file = join(WORK, `${name}-${i++}.json`);
    writeFileSync(file, JSON.stringify(input));
    lines.push(`'${aws}' ${r.service} ${kebab(r.op)} --endpoint-url ${endpoint} --cli-input-json file://${file} > /dev/null`);
  }
  const path = join(WORK, `${name}.sh`);
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o755 });
  return { path, calls: lines.length - 2, text: lines.slice(2).join('\n') };
}

function awsEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(WORK, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(WORK, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}

// ---------------------------------------------------------------------------------------------- main

const rows = [];
const notes = [];
/** One table row; pass is true, false, or null (not measured: n/a). */
function row(figure, value, target, pass) {
  rows.push({ figure, value, target, result: pass === null ? 'n/a' : pass ? 'PASS' : 'FAIL' });
}

function printTable() {
  const head = { figure: 'figure', value: 'value', target: 'target', result: 'result' };
  const all = [head, ...rows];
  const w = Object.fromEntries(Object.keys(head).map((k) => [k, Math.max(...all.map((r) => String(r[k]).length))]));
  const line = (r) => `| ${Object.keys(head).map((k) => String(r[k]).padEnd(w[k])).join(' | ')} |`;
  const out = [line(head), `|${Object.keys(head).map((k) => '-'.repeat(w[k] + 2)).join('|')}|`, ...rows.map(line)];
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(
    `\naws-bootstrap bench — ${new Date().toISOString()} — node ${process.version}, ${os.platform()} ${os.arch()}, ` +
      `${cpu} × ${os.cpus().length}, proxy delay ${DELAY_MS} ms\n\n${out.join('\n')}\n`,
  );
  if (notes.length) process.stdout.write(`\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
}

async function main() {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run \`npm run build\` (npm run bench does)`);
  // The bin and its lazily loaded chunks, copied so a rebuild during the run cannot change what is measured.
  cpSync(join(ROOT, 'dist'), join(WORK, 'dist'), { recursive: true });

  // --- start-up -----------------------------------------------------------------------------------------
  log(`start-up: ${STARTUP_RUNS} runs each of node -e 0, --version, --help`);
  const plainEnv = cliEnv();
  await run(process.execPath, ['-e', '0'], plainEnv); // warm the file cache
  await cli(['--version'], plainEnv);
  // Interleaved (node, --version, --help, node, ...): this machine's speed drifts by tens of ms within minutes, and
  // three blocks of runs one after another would compare figures taken at different speeds.
  const startupRuns = { node: [], version: [], help: [] };
  for (let i = 0; i < STARTUP_RUNS; i++) {
    startupRuns.node.push(await run(process.execPath, ['-e', '0'], plainEnv));
    startupRuns.version.push(await cli(['--version'], plainEnv));
    startupRuns.help.push(await cli(['--help'], plainEnv));
  }
  const summary = (results) => ({ median: median(results.map((r) => r.wall)), last: results.at(-1) });
  const nodeBase = summary(startupRuns.node);
  const version = summary(startupRuns.version);
  const help = summary(startupRuns.help);
  if (version.last.code !== 0 || help.last.code !== 0) throw new Error(`--version/--help failed: ${version.last.stderr}${help.last.stderr}`);
  row(`node -e 0 (median of ${STARTUP_RUNS})`, ms(nodeBase.median), 'baseline', true);
  row('--version (median)', `${ms(version.median)} (${(version.median / nodeBase.median).toFixed(2)}x)`, `<= 1.5x node = ${ms(1.5 * nodeBase.median)}`, version.median <= 1.5 * nodeBase.median);
  row('--help (median)', `${ms(help.median)} (${(help.median / nodeBase.median).toFixed(2)}x)`, `<= 2x node = ${ms(2 * nodeBase.median)}`, help.median <= 2 * nodeBase.median);
  const kib = (file) => Math.round(readFileSync(join(WORK, 'dist', file)).length / 1024);
  notes.push(
    `dist/cli.cjs (the launcher) is ${kib('cli.cjs')} KiB; it loads dist/app.cjs (${kib('app.cjs')} KiB, the whole CLI; a command's ` +
      'modules are evaluated only when it runs) with V8 code cached per command under HOME/.cache/aws-bootstrap.',
  );
  const coldVersion = await timeRuns(STARTUP_RUNS, () => cli(['--version'], cliEnv(COLD)));
  notes.push(`without the code cache (NODE_DISABLE_COMPILE_CACHE=1, as on a fresh machine): --version ${ms(coldVersion.median)} (${(coldVersion.median / nodeBase.median).toFixed(2)}x)`);

  // --- the emulator ---------------------------------------------------------------------------------------
  log('starting moto and the proxy');
  const moto = await startMoto();
  const proxy = await startProxy(moto.endpoint);
  try {
    process.removeAllListeners('warning'); // the SDK's notice about Node 20 support, printed while seeding
    const seed = await seeder(moto.endpoint);
    await seed.finishedAccount();
    await inParallel(Array.from({ length: 9 }, (_, i) => `bench-user-${String(i + 1).padStart(4, '0')}`), 9, (u) =>
      seed.iam('CreateUser', { UserName: u }),
    );
    await moto.setRoot({ mfaEnabled: true, accessKeysPresent: false });

    // The config that matches it; a first `init` straight against moto completes whatever `init` adds on top
    // (e.g. the MFA guard policy), so that the measured re-run has nothing to do.
    const configFile = join(WORK, 'aws-bootstrap.yaml');
    const passwordFile = join(WORK, 'secrets', 'alice-password.txt'); // its directory exists, the file does not
    mkdirSync(join(WORK, 'secrets'), { mode: 0o700 });
    writeFileSync(
      configFile,
      [
        'accountAlias: acme-sandbox',
        'adminGroup:',
        '  name: Administrators',
        'adminUser:',
        '  name: alice',
        '  password: generate',
        `  passwordFile: ${JSON.stringify(passwordFile)}`,
        '  passwordResetRequired: true',
        '  mfa: defer',
        'rootAccessKeys: report',
        'budget:',
        '  name: monthly-cost-budget',
        '  amount: 25',
        '  alertThresholdPercent: 80',
        '  emails: [ops@example.com]',
        '',
      ].join('\n'),
    );
    log('first init --config straight against moto (finishes the account)');
    const first = await cli(['init', '--config', configFile, '--yes', '--json', '--endpoint-url', moto.endpoint]);
    if (first.code !== 0) notes.push(`first init run (setup) exited ${first.code}: ${(first.stderr || first.stdout).trim().slice(0, 400)}`);

    // --- check, 10 users ------------------------------------------------------------------------------------
    log(`check, 10 users: ${RUNS} runs`);
    const check10 = await benchCheck(proxy, RUNS);
    const reqs10 = check10.runs.at(-1);
    if (check10.last.code !== 0) notes.push(`check (10 users) exited ${check10.last.code}: ${check10.last.stderr.trim().slice(0, 300)}`);
    const rtt = median(check10.runs.flat().map((r) => r.upstreamMs));
    const bound = boundFor(check10.startupMs, rtt);
    const counts10 = countByOp(reqs10);
    const dup10 = Object.entries(countByOp(reqs10.filter((r) => !isContinuation(r)))).filter(([, n]) => n > 1);
    const writes10 = reqs10.filter((r) => !isRead(r.op));
    notes.push(`check requests (10 users): ${reqs10.length} — ${fmtCounts(counts10)}`);
    notes.push(`no-delay round trip (median moto service time of check's requests): ${rtt.toFixed(1)} ms; 4-round-trip bound = --version ${ms(check10.startupMs)} (median of one run before each check run) + 4 × (${DELAY_MS} + ${rtt.toFixed(1)}) ms`);
    row('check, 10 users (median)', ms(check10.median), `<= start-up + 4 round trips = ${ms(bound)}`, check10.median <= bound);
    row('check: API calls (10 users)', String(reqs10.length), 'each read once', dup10.length === 0);
    const depth10 = roundTrips(reqs10);
    row('check: sequential round trips', String(depth10), '<= 4 (reads in parallel)', depth10 <= 4);
    notes.push(`check rounds (10 users) — ${rounds(reqs10)}`);
    const serviceByOp = {};
    for (const r of check10.runs.flat()) (serviceByOp[r.op] ??= []).push(r.upstreamMs);
    const serviceTotal = Object.values(serviceByOp).reduce((sum, xs) => sum + median(xs), 0);
    notes.push(
      `moto service time per check request (median over runs; moto answers one at a time, ${ms(serviceTotal)} in all): ` +
        Object.entries(serviceByOp)
          .map(([op, xs]) => `${op} ${median(xs).toFixed(0)}`)
          .join(', ') +
        ' ms',
    );
    notes.push(
      `check (10 users), median: spawn to first request ${ms(check10.firstRequestMs)} (vs --version ${ms(version.median)}), ` +
        `last response to exit ${ms(check10.afterLastMs)}, in between ${ms(check10.median - check10.firstRequestMs - check10.afterLastMs)}; ` +
        `every run: ${check10.walls.map(Math.round).join(', ')} ms`,
    );
    const coldCheck = await benchCheck(proxy, RUNS, cliEnv(COLD));
    notes.push(
      `check (10 users) without the code cache: ${ms(coldCheck.median)} (spawn to first request ${ms(coldCheck.firstRequestMs)}); ` +
        'the first run on a machine, or every run where HOME is not kept',
    );
    // Every run above but the first found the read plan its predecessor left (src/core/aws/read-plan.ts). Without
    // one (the first run with these credentials, or AWS_BOOTSTRAP_NO_READ_PLAN) reads wait on one another.
    const noPlan = await benchCheck(proxy, RUNS, cliEnv({ AWS_BOOTSTRAP_NO_READ_PLAN: '1' }));
    notes.push(
      `check (10 users) without a read plan (the first run for this profile, endpoint and region): ${ms(noPlan.median)} ` +
        `(bound ${ms(boundFor(noPlan.startupMs, rtt))}), ${roundTrips(noPlan.runs.at(-1))} round trips — ${rounds(noPlan.runs.at(-1))}`,
    );
    // Temporary credentials rotate (SSO and assumed roles get new ones every run, CloudShell every so often): a
    // plan made with other credentials sends at once what names no account, the rest once the caller is read.
    const rotated = await benchCheck(proxy, RUNS, cliEnv(), (i) => cliEnv({ AWS_ACCESS_KEY_ID: `ASIABENCHROTATED${String(i + 2).padStart(4, '0')}` }));
    notes.push(
      `check (10 users) with new credentials each run (rotated temporary ones; the plan is another key's): ${ms(rotated.median)} ` +
        `(bound ${ms(boundFor(rotated.startupMs, rtt))}), ${roundTrips(rotated.runs.at(-1))} round trips — ${rounds(rotated.runs.at(-1))}`,
    );
    if (dup10.length) notes.push(`check repeats reads: ${dup10.map(([op, n]) => `${op}×${n}`).join(', ')}`);
    row('check: writes', String(writes10.length), '0', writes10.length === 0);

    // --- init --config re-run ------------------------------------------------------------------------------
    log(`init --config re-run: ${RUNS} runs`);
    await cli(['init', '--config', configFile, '--yes', '--json', '--endpoint-url', proxy.endpoint]); // a first run
    proxy.take();
    const initRuns = [];
    const initStartup = [];
    const init = await timeRuns(RUNS, async () => {
      initStartup.push((await cli(['--version'])).wall);
      const r = await cli(['init', '--config', configFile, '--yes', '--json', '--endpoint-url', proxy.endpoint]);
      initRuns.push(proxy.take());
      return r;
    });
    const initReqs = initRuns.at(-1);
    const initWrites = initRuns.flat().filter((r) => !isRead(r.op));
    let statuses = {};
    try {
      const report = JSON.parse(init.last.stdout);
      for (const s of report.steps ?? report.controls ?? []) statuses[s.id] = s.status;
    } catch {
      statuses = { unparsed: init.last.stdout.slice(0, 200) || init.last.stderr.slice(0, 200) };
    }
    const nothingToDo = Object.values(statuses).length > 0 && Object.values(statuses).every((s) => ['unchanged', 'manual', 'skipped'].includes(s));
    const initDup = Object.entries(countByOp(initReqs.filter((r) => !isContinuation(r)))).filter(([, n]) => n > 1);
    notes.push(`init re-run exit ${init.last.code}, statuses: ${JSON.stringify(statuses)}`);
    notes.push(`init re-run requests: ${initReqs.length} — ${fmtCounts(countByOp(initReqs))}`);
    if (initDup.length) notes.push(`init re-run repeats reads: ${initDup.map(([op, n]) => `${op}×${n}`).join(', ')}`);
    if (initWrites.length) notes.push(`init re-run writes: ${fmtCounts(countByOp(initWrites))}`);
    if (existsSync(passwordFile)) notes.push('init re-run wrote a password file although the user has a login profile');
    const initBound = boundFor(median(initStartup), rtt);
    notes.push(`init re-run bound: --version ${ms(median(initStartup))} (median of one run before each init run) + 4 × (${DELAY_MS} + ${rtt.toFixed(1)}) ms`);
    row('init re-run (median)', ms(init.median), `<= start-up + 4 round trips = ${ms(initBound)}`, init.median <= initBound);
    row('init re-run: statuses', nothingToDo ? 'all unchanged/manual/skipped' : 'something to do', 'nothing to do', nothingToDo && init.last.code === 0);
    row('init re-run: writes', String(initWrites.length), '0', initWrites.length === 0);
    row('init re-run: API calls', String(initReqs.length), 'each read once', initDup.length === 0);
    const depthInit = roundTrips(initReqs);
    row('init re-run: sequential round trips', String(depthInit), '<= 4 (reads in parallel)', depthInit <= 4);
    notes.push(`init re-run rounds — ${rounds(initReqs)}`);
    const initNoPlanRuns = [];
    const initNoPlanStartup = [];
    const initNoPlan = await timeRuns(RUNS, async () => {
      initNoPlanStartup.push((await cli(['--version'])).wall);
      const r = await cli(['init', '--config', configFile, '--yes', '--json', '--endpoint-url', proxy.endpoint], cliEnv({ AWS_BOOTSTRAP_NO_READ_PLAN: '1' }));
      initNoPlanRuns.push(proxy.take());
      return r;
    });
    notes.push(
      `init re-run without a read plan (the first run for this file, profile, endpoint and region): ${ms(initNoPlan.median)} (bound ${ms(boundFor(median(initNoPlanStartup), rtt))}), ${roundTrips(initNoPlanRuns.at(-1))} round trips — ${rounds(initNoPlanRuns.at(-1))}`,
    );

    // --- the AWS CLI, the same reads one after another ----------------------------------------------------------
    const aws = findAwsCli();
    if (!aws.path) {
      notes.push(`AWS CLI comparison skipped: ${aws.reason}`);
      row('check vs AWS CLI script', 'n/a (no aws CLI)', '<= 1/4 of the script', null);
      row('init re-run vs AWS CLI script', 'n/a (no aws CLI)', '<= 1/4 of the script', null);
    } else {
      notes.push(`AWS CLI: ${aws.path} (${aws.version})`);
      for (const [name, reqs, median_] of [
        ['check', reqs10, check10.median],
        ['init re-run', initReqs, init.median],
      ]) {
        const script = awsScript(aws.path, reqs, proxy.endpoint, name.replace(/\W+/g, '-'));
        if (script.calls === 0) {
          row(`${name} vs AWS CLI script`, 'n/a (it made no request)', '<= 1/4 of the script', false);
          continue;
        }
        log(`AWS CLI script for ${name}: ${script.calls} calls, ${AWS_RUNS} runs`);
        const timed = await timeRuns(AWS_RUNS, () => run('sh', [script.path], awsEnv(), { timeoutMs: 300_000 }));
        proxy.take();
        if (timed.last.code !== 0) {
          notes.push(`AWS CLI script for ${name} failed (exit ${timed.last.code}): ${timed.last.stderr.trim().slice(0, 400)}`);
          row(`${name} vs AWS CLI script`, `script failed`, '<= 1/4 of the script', false);
          continue;
        }
        const ratio = median_ / timed.median;
        row(
          `${name} vs AWS CLI script (${script.calls} sequential calls)`,
          `${ms(median_)} vs ${ms(timed.median)} (${(ratio * 100).toFixed(1)}%)`,
          `<= 25% = ${ms(timed.median / 4)}`,
          ratio <= 0.25,
        );
      }
    }

    // --- scale: 1,000 users and 100 groups --------------------------------------------------------------------
    log('seeding 990 more users and 100 groups');
    const groups = Array.from({ length: 100 }, (_, i) => `bench-group-${String(i + 1).padStart(3, '0')}`);
    await inParallel(groups, 25, (g) => seed.iam('CreateGroup', { GroupName: g }));
    const users = Array.from({ length: 990 }, (_, i) => `bench-user-${String(i + 10).padStart(4, '0')}`);
    await inParallel(users, 25, async (u) => {
      await seed.iam('CreateUser', { UserName: u });
      await seed.iam('AddUserToGroup', { UserName: u, GroupName: groups[users.indexOf(u) % groups.length] });
    });
    log(`check, 1,000 users: ${RUNS} runs`);
    const check1000 = await benchCheck(proxy, RUNS);
    const reqs1000 = check1000.runs.at(-1);
    if (check1000.last.code !== 0) notes.push(`check (1,000 users) exited ${check1000.last.code}: ${check1000.last.stderr.trim().slice(0, 300)}`);
    const base10 = reqs10.filter((r) => !isContinuation(r)).length;
    const base1000 = reqs1000.filter((r) => !isContinuation(r)).length;
    const pages1000 = reqs1000.length - base1000;
    notes.push(`check rounds (1,000 users) — ${rounds(reqs1000)}; largest response times: ${reqs1000
      .sort((a, b) => b.upstreamMs - a.upstreamMs)
      .slice(0, 3)
      .map((r) => `${r.op} ${r.upstreamMs.toFixed(0)} ms`)
      .join(', ')}`);
    notes.push(`check requests (1,000 users): ${reqs1000.length} (${pages1000} continuation pages) — ${fmtCounts(countByOp(reqs1000))}`);
    if (reqs1000.some((r) => r.op === 'GetAccountAuthorizationDetails') && pages1000 === 0) {
      notes.push('moto answers GetAccountAuthorizationDetails in one page whatever MaxItems says, so no continuation page is seen here; on AWS 1,101 users and groups take ceil(1101 / MaxItems) pages.');
    }
    row('check, 1,000 users: API calls', `${reqs1000.length} = ${base1000} + ${pages1000} pages (10 users: ${reqs10.length})`, `non-page calls <= ${base10}`, base1000 <= base10);
    row('check, 1,000 users (median)', `${ms(check1000.median)} (${(check1000.median / check10.median).toFixed(2)}x)`, `<= 2x 10-user = ${ms(2 * check10.median)}`, check1000.median <= 2 * check10.median);
  } finally {
    await proxy.close();
    await moto.stop();
  }
}

let failed = false;
try {
  await main();
} catch (e) {
  notes.push(`benchmark aborted: ${e?.stack ?? e}`);
  failed = true;
}
printTable();
rmSync(WORK, { recursive: true, force: true });
if (failed || rows.some((r) => r.result === 'FAIL')) process.exit(1);
