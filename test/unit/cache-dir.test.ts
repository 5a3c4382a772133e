import { describe, expect, it } from 'vitest';
import { codeCacheDir, readPlanDir } from '../../src/launcher/cache-dir.js';

describe('where the launcher keeps its code cache', () => {
  it('is the user cache directory on Linux: XDG_CACHE_HOME when absolute, else ~/.cache', () => {
    expect(codeCacheDir({}, 'linux', '/home/ana')).toBe('/home/ana/.cache/aws-bootstrap/code-cache');
    expect(codeCacheDir({ XDG_CACHE_HOME: '/var/cache/ana' }, 'linux', '/home/ana')).toBe('/var/cache/ana/aws-bootstrap/code-cache');
    expect(codeCacheDir({ XDG_CACHE_HOME: 'relative/cache' }, 'linux', '/home/ana')).toBe('/home/ana/.cache/aws-bootstrap/code-cache');
  });

  it('is ~/Library/Caches on macOS and %LOCALAPPDATA% on Windows', () => {
    expect(codeCacheDir({}, 'darwin', '/Users/ana')).toBe('/Users/ana/Library/Caches/aws-bootstrap/code-cache');
    expect(codeCacheDir({ LOCALAPPDATA: 'C:/Users/ana/AppData/Local' }, 'win32', 'C:/Users/ana')).toBe('C:\\Users\\ana\\AppData\\Local\\aws-bootstrap\\code-cache');
  });

  it('is off with NODE_DISABLE_COMPILE_CACHE (Node’s own switch) or without an absolute home directory', () => {
    expect(codeCacheDir({ NODE_DISABLE_COMPILE_CACHE: '1' }, 'linux', '/home/ana')).toBeUndefined();
    // A relative HOME would put the cache under the working directory (a checked-out repository could bring one).
    expect(codeCacheDir({}, 'linux', 'home/ana')).toBeUndefined();
    expect(codeCacheDir({ LOCALAPPDATA: 'AppData' }, 'win32', 'C:/Users/ana')).toBeUndefined();
    expect(codeCacheDir({}, 'linux', '')).toBeUndefined();
    expect(codeCacheDir({}, 'win32', 'C:/Users/ana')).toBeUndefined();
  });
});

describe('where runs keep their read plans', () => {
  it('is beside the code cache, in the same cache directory', () => {
    expect(readPlanDir({}, 'linux', '/home/ana')).toBe('/home/ana/.cache/aws-bootstrap/read-plans');
    expect(readPlanDir({ XDG_CACHE_HOME: '/var/cache/ana' }, 'linux', '/home/ana')).toBe('/var/cache/ana/aws-bootstrap/read-plans');
    expect(readPlanDir({ LOCALAPPDATA: 'C:/Users/ana/AppData/Local' }, 'win32', 'C:/Users/ana')).toBe('C:\\Users\\ana\\AppData\\Local\\aws-bootstrap\\read-plans');
  });

  it('is off with AWS_BOOTSTRAP_NO_READ_PLAN or without an absolute home; the code cache switch does not turn it off', () => {
    expect(readPlanDir({ AWS_BOOTSTRAP_NO_READ_PLAN: '1' }, 'linux', '/home/ana')).toBeUndefined();
    expect(readPlanDir({}, 'linux', 'home/ana')).toBeUndefined();
    expect(readPlanDir({ NODE_DISABLE_COMPILE_CACHE: '1' }, 'linux', '/home/ana')).toBe('/home/ana/.cache/aws-bootstrap/read-plans');
    expect(codeCacheDir({ AWS_BOOTSTRAP_NO_READ_PLAN: '1' }, 'linux', '/home/ana')).toBe('/home/ana/.cache/aws-bootstrap/code-cache');
  });
});
