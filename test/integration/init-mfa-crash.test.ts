import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import { accountBaseline } from '../support/account-baseline.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { BUILT_CLI, isolatedEnv, MOTO_CREDENTIALS } from '../support/run-cli.js';
import { TmuxSession } from '../support/tmux-session.js';
import { motoAvailable, useMoto } from '../support/use-moto.js';

/**
 * `mfa: prompt` needs a terminal: the built binary runs in tmux, and the MFA codes are computed from the secret
 * key it shows. The process is killed (SIGKILL) right after one of the two MFA writes; the next run must end
 * with the user's one MFA device and no unassigned device left behind.
 */
describe.skipIf(!motoAvailable)('init --config --yes with mfa: prompt, killed during MFA enrolment', () => {
  const moto = useMoto();
  let session: TmuxSession | undefined;
  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await session?.kill();
    await proxy?.close();
    session = undefined;
    proxy = undefined;
  });

  function configFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'aws-bootstrap-mfa-crash-'));
    const file = join(dir, 'acme.yaml');
    writeFileSync(
      file,
      `adminGroup:\n  name: Administrators\nadminUser:\n  name: alice\n  password: generate\n  passwordFile: ${join(dir, 'pw.txt')}\n  mfa: prompt\n`,
    );
    return file;
  }

  const start = async (endpoint: string, file: string) => {
    const env = isolatedEnv({ ...MOTO_CREDENTIALS, TERM: 'xterm-256color' });
    session = await TmuxSession.start([process.execPath, BUILT_CLI, 'init', '--config', file, '--yes', '--endpoint-url', endpoint], env);
    return session;
  };

  /** Reads the secret key off the screen and types the code shown now and the next one. */
  const enterCodes = async (s: TmuxSession) => {
    const screen = await s.waitFor('? Code shown now in the app');
    const secret = /Secret key \(for apps that cannot scan\): ([A-Z2-7]+)/.exec(screen)![1]!;
    const now = Math.floor(Date.now() / 1000);
    await s.type(generateSync({ secret, epoch: now }));
    await s.press('Enter');
    await s.waitFor('? Next code');
    await s.type(generateSync({ secret, epoch: now + 30 }));
    await s.press('Enter');
  };

  it.each(['CreateVirtualMFADevice', 'EnableMFADevice'])(
    'after a SIGKILL right after %s, the next run ends with one MFA device and no orphan',
    async (killAfter) => {
      let victim: Promise<number> | undefined;
      proxy = await startFaultProxy(moto.server.endpoint, {
        async afterUpstream(request) {
          if (request.operation === killAfter) process.kill(await victim!, 'SIGKILL');
        },
      });
      const file = configFile();
      let s = await start(proxy.endpoint, file);
      victim = s.programPid();
      if (killAfter === 'EnableMFADevice') await enterCodes(s);
      expect(await s.exitCode()).toBe(137);
      const crashed = await accountBaseline(moto.server.endpoint);
      // What the crash left: a device not yet assigned, or one assigned whose run never said so.
      expect(crashed.unassignedMfaDevices).toHaveLength(killAfter === 'CreateVirtualMFADevice' ? 1 : 0);

      await session!.kill();
      proxy.hooks = {};
      s = await start(proxy.endpoint, file);
      if (killAfter === 'CreateVirtualMFADevice') {
        await s.waitFor('was left by an earlier, unfinished run: it is replaced by a new one');
        await enterCodes(s);
      }
      expect(await s.exitCode()).toBe(0);
      const screen = await s.screen();
      expect(screen).toMatch(killAfter === 'CreateVirtualMFADevice' ? /CREATED +admin-user-mfa/ : /UNCHANGED +admin-user-mfa/);
      const after = await accountBaseline(moto.server.endpoint);
      expect(after.unassignedMfaDevices).toEqual([]);
      expect(after.users).toEqual([
        { name: 'alice', groups: ['Administrators'], policies: [], consolePassword: true, mfaDevices: 1 },
      ]);
    },
  );
});
