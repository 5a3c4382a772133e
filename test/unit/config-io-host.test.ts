import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigIoHost } from '../../src/core/config/config-io-host.js';
import { stepsWantedBy } from '../../src/core/config/config-steps.js';
import type { BootstrapConfig } from '../../src/core/config/config-types.js';
import { BootstrapError } from '../../src/core/errors.js';
import { RecordingIoHost } from '../support/recording-io-host.js';
import { ScriptedIoHost } from '../support/scripted-io-host.js';

const config: BootstrapConfig = {
  accountAlias: 'acme-sandbox',
  adminGroup: { name: 'Admins' },
  adminUser: { name: 'alice', password: 'env:ALICE_PASSWORD', passwordResetRequired: false, mfa: 'defer' },
  rootAccessKeys: 'report',
  budget: { name: 'monthly-cost-budget', amount: 25, alertThresholdPercent: 75, emails: ['a@example.com', 'b@example.com'] },
};

const host = (c: BootstrapConfig, options: { yes?: boolean; interactive?: ScriptedIoHost; env?: NodeJS.ProcessEnv } = {}) =>
  new ConfigIoHost(c, {
    output: new RecordingIoHost(),
    yes: options.yes ?? true,
    ...(options.interactive ? { interactive: options.interactive } : {}),
    env: options.env ?? { ALICE_PASSWORD: 'Correct-Horse-9-Battery' },
  });

describe('the config IO host: answers by question id', () => {
  it('answers every text question from its key, checked by the step validator', async () => {
    const io = host(config);
    expect(await io.text({ id: 'account-alias.alias', message: '' })).toBe('acme-sandbox');
    expect(await io.text({ id: 'admin-group.name', message: '' })).toBe('Admins');
    expect(await io.text({ id: 'admin-user.name', message: '' })).toBe('alice');
    expect(await io.text({ id: 'budget.amount', message: '' })).toBe('25');
    expect(await io.text({ id: 'budget.emails', message: '' })).toBe('a@example.com, b@example.com');
    expect(await io.text({ id: 'budget.threshold', message: '' })).toBe('75');
    const taken = io.text({ id: 'account-alias.alias', message: '', validate: () => '"acme-sandbox" is taken by another AWS account.' });
    await expect(taken).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/^accountAlias: /) });
  });

  it('takes env:NAME passwords from the environment and never echoes one in an error', async () => {
    expect(await host(config).secret({ id: 'admin-user.password', message: '' })).toBe('Correct-Horse-9-Battery');
    const weak = host(config, { env: { ALICE_PASSWORD: 'short' } }).secret({
      id: 'admin-user.password',
      message: '',
      validate: () => 'At least 14 characters.',
    });
    const error = await weak.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BootstrapError);
    expect((error as Error).message).toBe('adminUser.password: the password in ALICE_PASSWORD is not accepted: At least 14 characters.');
    await expect(host(config, { env: {} }).secret({ id: 'admin-user.password', message: '' })).rejects.toThrow(
      'adminUser.password: environment variable ALICE_PASSWORD is not set.',
    );
  });

  it('approves planned changes with --yes, asks the terminal without it, and decides config-owned answers itself', async () => {
    const yes = host(config);
    expect(await yes.confirm({ id: 'admin-group.confirm', message: '', default: true })).toBe(true);
    expect(await yes.confirm({ id: 'budget.update', message: '', default: false })).toBe(true);
    expect(await yes.confirm({ id: 'account-alias.replace', message: '', default: false })).toBe(true);
    expect(await yes.confirm({ id: 'admin-user.password-reset-required', message: '', default: true })).toBe(false);
    expect(await yes.confirm({ id: 'billing-access.confirm', message: '', default: false })).toBe(false);
    expect(await yes.confirm({ id: 'root-access-keys.confirm', message: '', default: true })).toBe(false);
    expect(await host({ ...config, rootAccessKeys: 'delete' }).confirm({ id: 'root-access-keys.confirm', message: '', default: true })).toBe(true);
    expect(await yes.select({ id: 'root-mfa.next', message: '', choices: [{ value: 'recheck', name: '' }, { value: 'skip', name: '' }] })).toBe('skip');

    const person = new ScriptedIoHost({ 'admin-group.confirm': false });
    expect(await host(config, { yes: false, interactive: person }).confirm({ id: 'admin-group.confirm', message: '', default: true })).toBe(false);
    expect(person.asked).toEqual(['admin-group.confirm']);
    await expect(host(config, { yes: false }).confirm({ id: 'admin-group.confirm', message: '', default: true })).rejects.toThrow('needs a terminal');
  });

  const handOver = (io: ConfigIoHost, generated: string) =>
    io.handOverSecret({ label: 'Console password for alice', generate: () => generated, validate: () => true });

  it('keeps a generated password pending (0600) before it is set, and in the password file once AWS set it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwfile-'));
    const file = join(dir, 'pw.txt');
    const generated: BootstrapConfig = { ...config, adminUser: { ...config.adminUser!, password: 'generate', passwordFile: file } };
    const given = await handOver(host(generated), 'S3cret-Value-Xyz!');
    expect(given.value).toBe('S3cret-Value-Xyz!');
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(`${file}.pending`, 'utf8')).toBe('S3cret-Value-Xyz!\n');
    expect(statSync(`${file}.pending`).mode & 0o777).toBe(0o600);
    given.settled('set');
    expect(readFileSync(file, 'utf8')).toBe('S3cret-Value-Xyz!\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}.pending`)).toBe(false);
    expect(readdirSync(dir)).toEqual(['pw.txt']);

    // Never over an existing file: a second password set stays pending, and says where it is.
    const output = new RecordingIoHost();
    const again = new ConfigIoHost(generated, { output, yes: true, env: {} });
    const second = await handOver(again, 'Another-Value-123!');
    second.settled('set');
    expect(readFileSync(file, 'utf8')).toBe('S3cret-Value-Xyz!\n');
    expect(readFileSync(`${file}.pending`, 'utf8')).toBe('Another-Value-123!\n');
    expect(output.messages.map((m) => m.text).join('\n')).toContain(`${file}.pending`);
    expect(() => host(config).showQrCode('otpauth://...')).toThrow('needs a terminal');
  });

  it('reuses a pending password an interrupted run left, unless the policy refuses it; drops it when AWS refuses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwfile-'));
    const file = join(dir, 'pw.txt');
    const generated: BootstrapConfig = { ...config, adminUser: { ...config.adminUser!, password: 'generate', passwordFile: file } };
    await handOver(host(generated), 'Left-By-A-Crash-42!');
    // The next run (or a concurrent one) gets the same password, so whichever sets it, the file is right.
    expect((await handOver(host(generated), 'Fresh-One-43!')).value).toBe('Left-By-A-Crash-42!');
    const stricter = await host(generated).handOverSecret({
      label: 'Console password for alice',
      generate: () => 'Fresh-One-44!',
      validate: (v) => (v.startsWith('Fresh') ? true : 'too weak'),
    });
    expect(stricter.value).toBe('Fresh-One-44!');
    stricter.settled('not-set');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives a run that generates while the password of another run is pending that same password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwfile-'));
    const file = join(dir, 'pw.txt');
    const generated: BootstrapConfig = { ...config, adminUser: { ...config.adminUser!, password: 'generate', passwordFile: file } };
    const [a, b] = await Promise.all([handOver(host(generated), 'Run-A-Password-1!'), handOver(host(generated), 'Run-B-Password-2!')]);
    expect(a.value).toBe(b.value);
    a.settled('set');
    b.settled('unknown');
    expect(readFileSync(file, 'utf8')).toBe(`${a.value}\n`);
    expect(readdirSync(dir)).toEqual(['pw.txt']);

    // A run that staged its own password after the first one was set and moved: AWS says a password exists,
    // the file holds the one that was set, and the unused pending password goes.
    const late = await handOver(host(generated), 'Run-C-Password-3!');
    expect(late.value).toBe('Run-C-Password-3!');
    late.settled('unknown');
    expect(readFileSync(file, 'utf8')).toBe(`${a.value}\n`);
    expect(readdirSync(dir)).toEqual(['pw.txt']);
  });

  it('fails loudly on a question it has no answer for (a bug, not a silent default)', async () => {
    await expect(host(config).text({ id: 'new-step.question', message: '' })).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});

describe('steps a config file asks for', () => {
  it('skips absent sections, runs the read-only guides always, and MFA only with mfa: prompt', () => {
    expect([...stepsWantedBy({})].sort()).toEqual(['billing-access', 'root-mfa']);
    expect([...stepsWantedBy(config)].sort()).toEqual([
      'account-alias',
      'admin-group',
      'admin-user',
      'billing-access',
      'budget',
      'root-access-keys',
      'root-mfa',
    ]);
    expect(stepsWantedBy({ ...config, adminUser: { ...config.adminUser!, mfa: 'prompt' } }).has('admin-user-mfa')).toBe(true);
  });
});
