import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/cli/command-names.js';
import { buildProgram } from '../../src/cli/main.js';
import { isolatedEnv, runCli } from '../support/run-cli.js';

/** The built launcher (dist/cli.cjs) and its V8 code cache under HOME; `schema` needs no AWS endpoint. */
describe('the code cache of the built CLI', () => {
  const cacheDirOf = (env: NodeJS.ProcessEnv) => join(env.HOME!, '.cache', 'aws-bootstrap', 'code-cache');
  /** isolatedEnv turns the cache off for every other test: on here. */
  const cacheOn = () => {
    const env = isolatedEnv();
    delete env.NODE_DISABLE_COMPILE_CACHE;
    return env;
  };
  const cacheLine = (stderr: string) => /\[debug\] code cache: (\w+)/.exec(stderr)?.[1];

  it('is written by a first complete run and used by the next, with the same output', async () => {
    const env = cacheOn();
    const first = await runCli(['schema', '--debug'], { env });
    expect(first.code).toBe(0);
    expect(cacheLine(first.stderr)).toBe('miss');
    const files = readdirSync(cacheDirOf(env));
    expect(files).toEqual([expect.stringMatching(/^app-[0-9a-f]{16}-schema-node[\d.]+-\w+-\d+-\d+\.v8cache$/)]);
    expect(statSync(join(cacheDirOf(env), files[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDirOf(env)).mode & 0o777).toBe(0o700);

    const second = await runCli(['schema', '--debug'], { env });
    expect(cacheLine(second.stderr)).toBe('hit');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(JSON.parse(second.stdout).$schema).toMatch(/json-schema\.org/);
  });

  it('is not written by a run that ends in an error (it compiled only part of what a full run needs)', async () => {
    const env = cacheOn();
    const usage = await runCli(['check', '--region', 'nowhere', '--debug'], { env });
    expect(usage.code).toBe(2);
    expect(existsSync(cacheDirOf(env))).toBe(false);
  });

  it('is off with NODE_DISABLE_COMPILE_CACHE: nothing is read or written', async () => {
    const env = isolatedEnv({ NODE_DISABLE_COMPILE_CACHE: '1' });
    const result = await runCli(['schema', '--debug'], { env });
    expect(result.code).toBe(0);
    expect(cacheLine(result.stderr)).toBe('off');
    expect(existsSync(join(env.HOME!, '.cache'))).toBe(false);
  });

  it('drops the cache files of other builds when it writes its own', async () => {
    const env = cacheOn();
    mkdirSync(cacheDirOf(env), { recursive: true, mode: 0o700 });
    const stale = join(cacheDirOf(env), 'app-0000000000000000-schema-node20.0.0-x64.v8cache');
    writeFileSync(stale, 'old build', { mode: 0o600 });
    expect((await runCli(['schema'], { env })).code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(cacheDirOf(env))).toHaveLength(1);
  });

  it('keeps the cache of a help run apart from the command it is about (help compiles little of it)', async () => {
    const env = cacheOn();
    expect((await runCli(['schema', '--help'], { env })).code).toBe(0);
    expect(readdirSync(cacheDirOf(env))).toEqual([expect.stringMatching(/^app-[0-9a-f]{16}-none-/)]);
  });

  it('runs when the cache cannot be written (here ~/.cache is a file): no cache, no error', async () => {
    const env = cacheOn();
    writeFileSync(join(env.HOME!, '.cache'), 'not a directory');
    for (let run = 0; run < 2; run += 1) {
      const result = await runCli(['schema', '--debug'], { env });
      expect(result.code).toBe(0);
      expect(cacheLine(result.stderr)).toBe('miss');
      expect(result.stderr).not.toMatch(/Error|at .+:\d+:\d+/);
    }
  });

  it('keys caches by the commands the program has', () => {
    const program = buildProgram(() => {});
    expect(program.commands.map((c) => c.name()).sort()).toEqual([...COMMAND_NAMES].sort());
  });
});
