/**
 * Preloaded into the CLI under test with NODE_OPTIONS=--require (tests only): every host name other than the
 * loopback ones fails to resolve with the ENOTFOUND Node reports for a name that does not exist, and no DNS query
 * leaves the machine. With NO_DNS_LOG set, each name asked for is appended to that file (one a line).
 */
const dns = require('node:dns');
const { appendFileSync } = require('node:fs');

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);
const originalLookup = dns.lookup;
const originalPromisesLookup = dns.promises.lookup;

function notFound(hostname) {
  if (process.env.NO_DNS_LOG) appendFileSync(process.env.NO_DNS_LOG, `${hostname}\n`);
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
    errno: -3008,
    syscall: 'getaddrinfo',
    hostname,
  });
}

dns.lookup = function lookup(hostname, options, callback) {
  if (LOOPBACK.has(hostname)) return originalLookup.call(dns, hostname, options, callback);
  const done = typeof options === 'function' ? options : callback;
  const error = notFound(hostname);
  process.nextTick(() => done(error));
  return {};
};

dns.promises.lookup = async function lookup(hostname, options) {
  if (LOOPBACK.has(hostname)) return originalPromisesLookup.call(dns.promises, hostname, options);
  throw notFound(hostname);
};
