import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle, pruneCache } from '../../src/launcher/code-cache.js';

interface Probe {
  answer: number;
  sep: string;
  filename: string;
  dirname: string;
  text: string;
}

/** A CommonJS file like dist/app.cjs: it requires a builtin and exports what the wrapper gave it. */
function writeBundle(text = 'plain'): { bundle: string; cacheDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'aws-bootstrap-code-cache-'));
  const bundle = join(root, 'app.cjs');
  writeFileSync(
    bundle,
    [
      '"use strict";',
      'const path = require("node:path");',
      'function add(a, b) { return a + b; }',
      `module.exports = { answer: add(40, 2), sep: path.sep, filename: __filename, dirname: __dirname, text: ${JSON.stringify(text)} };`,
      '',
    ].join('\n'),
  );
  return { bundle, cacheDir: join(root, 'cache', 'code-cache') };
}

const key = 'app-0123456789abcdef-check-node20-x64';
const mode = (path: string) => statSync(path).mode & 0o777;

describe('loading the CLI bundle through V8 code cache (src/launcher/code-cache.ts)', () => {
  it('runs the bundle as a CommonJS module: exports, require of builtins, __filename and __dirname', () => {
    const { bundle, cacheDir } = writeBundle();
    const loaded = loadBundle<Probe>(bundle, { dir: cacheDir, key });
    expect(loaded.exports).toEqual({ answer: 42, sep: '/', filename: bundle, dirname: join(bundle, '..'), text: 'plain' });
  });

  it('reads a bundle with non-ASCII text as UTF-8', () => {
    const { bundle, cacheDir } = writeBundle('Tipus d’unió invàlid ¥');
    expect(loadBundle<Probe>(bundle, { dir: cacheDir, key }).exports.text).toBe('Tipus d’unió invàlid ¥');
  });

  it('misses on the first load and saves; the next load uses the saved code (a private 0600 file in a 0700 directory)', () => {
    const { bundle, cacheDir } = writeBundle();
    const first = loadBundle<Probe>(bundle, { dir: cacheDir, key });
    expect(first.status).toBe('miss');
    expect(existsSync(cacheDir)).toBe(false); // nothing is written before save()
    expect(first.save()).toBe(true);
    expect(first.save()).toBe(false); // once
    expect(first.file).toMatch(new RegExp(`^${cacheDir}/${key}-\\d+-\\d+\\.v8cache$`)); // + the bundle's size and mtime
    expect(mode(first.file!)).toBe(0o600);
    expect(mode(cacheDir)).toBe(0o700);
    expect(readdirSync(cacheDir)).toEqual([basename(first.file!)]); // no temporary file left behind

    // (In one process V8 may also reuse its in-memory compilation; the built CLI's test shows hits across runs.)
    const second = loadBundle<Probe>(bundle, { dir: cacheDir, key });
    expect(second.status).toBe('hit');
    expect(second.exports.answer).toBe(42);
    expect(second.save()).toBe(false); // a hit has nothing to save
  });

  it('never runs code compiled from another version of the bundle, even one of the same length (V8 checks only the length)', () => {
    const { bundle, cacheDir } = writeBundle('one');
    loadBundle(bundle, { dir: cacheDir, key }).save();
    const edited = readFileSync(bundle, 'utf8').replace('"one"', '"two"');
    writeFileSync(bundle, edited);
    utimesSync(bundle, new Date(), new Date(Date.now() + 5_000));
    const again = loadBundle<Probe>(bundle, { dir: cacheDir, key });
    expect(again.status).toBe('miss');
    expect(again.exports.text).toBe('two');
  });

  it('keeps one cache file per key (per command and Node version)', () => {
    const { bundle, cacheDir } = writeBundle();
    loadBundle(bundle, { dir: cacheDir, key }).save();
    expect(loadBundle(bundle, { dir: cacheDir, key: `${key}-other` }).status).toBe('miss');
  });

  it('reports a cache V8 refuses (here: a corrupt file) as rejected, still runs, and replaces it on save', () => {
    // A source this process has not compiled yet: V8 would otherwise reuse its in-memory compilation.
    const { bundle, cacheDir } = writeBundle('corrupt cache case');
    const stats = statSync(bundle);
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(cacheDir, `${key}-${stats.size}-${Math.trunc(stats.mtimeMs)}.v8cache`), Buffer.alloc(4096, 7), { mode: 0o600 });
    const loaded = loadBundle<Probe>(bundle, { dir: cacheDir, key });
    expect(loaded.status).toBe('rejected');
    expect(loaded.exports.answer).toBe(42);
    expect(loaded.save()).toBe(true);
    expect(loadBundle(bundle, { dir: cacheDir, key }).status).toBe('hit');
  });

  it('compiles from source and saves nothing when the cache is off', () => {
    const { bundle, cacheDir } = writeBundle();
    const loaded = loadBundle<Probe>(bundle, { dir: undefined, key });
    expect(loaded.status).toBe('off');
    expect(loaded.file).toBeUndefined();
    expect(loaded.exports.answer).toBe(42);
    expect(loaded.save()).toBe(false);
    expect(existsSync(cacheDir)).toBe(false);
  });

  describe('never runs code from a cache someone else could have written', () => {
    function savedCache() {
      const { bundle, cacheDir } = writeBundle();
      const first = loadBundle(bundle, { dir: cacheDir, key });
      first.save();
      return { bundle, cacheDir, file: first.file! };
    }

    it('ignores a cache file that group or others can write, and replaces it with a private one', () => {
      const { bundle, cacheDir, file } = savedCache();
      chmodSync(file, 0o666);
      const loaded = loadBundle(bundle, { dir: cacheDir, key });
      expect(loaded.status).toBe('miss');
      expect(loaded.save()).toBe(true);
      expect(mode(file)).toBe(0o600);
      expect(loadBundle(bundle, { dir: cacheDir, key }).status).toBe('hit');
    });

    it('ignores a cache in a directory that others can write, and writes nothing there', () => {
      const { bundle, cacheDir, file } = savedCache();
      chmodSync(cacheDir, 0o777);
      const loaded = loadBundle(bundle, { dir: cacheDir, key });
      expect(loaded.status).toBe('miss');
      expect(loaded.save()).toBe(false);
      expect(readdirSync(cacheDir)).toEqual([basename(file)]);
      expect(mode(file)).toBe(0o600);
    });

    it('ignores a cache file that is a symbolic link', () => {
      const { bundle, cacheDir, file } = savedCache();
      const real = join(cacheDir, '..', 'elsewhere.v8cache');
      writeFileSync(real, Buffer.alloc(0));
      const { renameSync } = require('node:fs') as typeof import('node:fs');
      renameSync(file, real);
      symlinkSync(real, file);
      expect(loadBundle(bundle, { dir: cacheDir, key }).status).toBe('miss');
    });

    it('ignores a cache directory that is a symbolic link', () => {
      const { bundle, cacheDir } = savedCache();
      const link = join(cacheDir, '..', 'linked');
      symlinkSync(cacheDir, link);
      expect(loadBundle(bundle, { dir: link, key }).status).toBe('miss');
    });

    it.skipIf(process.getuid?.() !== 0)('ignores a cache file owned by another user (needs root to chown)', () => {
      const { bundle, cacheDir, file } = savedCache();
      chownSync(file, 65534, 65534);
      expect(loadBundle(bundle, { dir: cacheDir, key }).status).toBe('miss');
    });
  });

  it('pruning removes the cache files of other builds of the bundle, and nothing else', () => {
    const { cacheDir } = writeBundle();
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    for (const name of ['app-aaaa-check-node20-x64.v8cache', 'app-aaaa-none-node20-x64.v8cache', 'app-bbbb-check-node20-x64.v8cache', 'notes.txt']) {
      writeFileSync(join(cacheDir, name), 'x');
    }
    pruneCache(cacheDir, 'app-aaaa');
    expect(readdirSync(cacheDir).sort()).toEqual(['app-aaaa-check-node20-x64.v8cache', 'app-aaaa-none-node20-x64.v8cache', 'notes.txt']);
  });
});
