'use strict';
/**
 * Preload (`NODE_OPTIONS=--require <abs path>/test/support/loopback-only.cjs`) that keeps a
 * Node process on this machine:
 *   - every TCP server it opens listens on 127.0.0.1 (the Agents Playground listens on all
 *     interfaces by default);
 *   - every outgoing TCP/TLS connection to a host that is not loopback is refused: the socket
 *     is destroyed with an ECONNREFUSED-style error before any DNS lookup or packet, exactly as
 *     a refused connection would look to the caller (the Playground tries the Azure instance
 *     metadata address 169.254.169.254 and an Application Insights host at start-up, even with
 *     --disable-telemetry);
 *   - dns.lookup of a non-loopback name fails, so nothing asks a resolver off this machine.
 *
 * Set LOOPBACK_ONLY_LOG=<file> to get one JSON line per event: `listen` (address actually
 * bound), `connect-allowed` (loopback target), `refused` (blocked target) and `connected`
 * (remote address of an established connection). Tests read it to prove that no connection
 * left the machine. Without the variable, the first refusal per host is reported on stderr.
 */
const net = require('node:net');
const dns = require('node:dns');
const fs = require('node:fs');

const LOOPBACK_HOST = '127.0.0.1';
const logFile = process.env.LOOPBACK_ONLY_LOG || '';
const reportedHosts = new Set();

function record(event) {
  if (!logFile) return;
  try {
    fs.appendFileSync(logFile, `${JSON.stringify({ pid: process.pid, ...event })}\n`);
  } catch {
    // The log is a diagnostic: never let it break the process it watches.
  }
}

function isLoopback(host) {
  if (host === undefined || host === null || host === '') return true; // Node defaults to localhost
  const h = String(host).toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  return net.isIPv4(v4) && v4.split('.')[0] === '127';
}

/** Normalises the many `listen` signatures and pins the host to loopback. */
function pinListenArgs(args) {
  const out = Array.from(args);
  const first = out[0];
  if (first === undefined || typeof first === 'function') {
    out.unshift({ port: 0, host: LOOPBACK_HOST });
    return out;
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port[, host][, backlog][, cb])
    const second = out[1];
    if (typeof second === 'string' || second === null || second === undefined) {
      if (!isLoopback(second) || second === undefined || second === null) out[1] = LOOPBACK_HOST;
    } else {
      out.splice(1, 0, LOOPBACK_HOST);
    }
    return out;
  }
  if (typeof first === 'object' && first !== null) {
    // listen(options[, cb]) unless it is a handle or a pipe path.
    if (first.path !== undefined || first._handle !== undefined || first.fd !== undefined) return out;
    if (!isLoopback(first.host) || first.host === undefined) out[0] = { ...first, host: LOOPBACK_HOST };
    return out;
  }
  return out; // listen(path) for a Unix socket stays local by nature.
}

const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function loopbackListen(...args) {
  const pinned = pinListenArgs(args);
  this.once('listening', () => {
    const address = this.address();
    record({ event: 'listen', address: typeof address === 'string' ? address : address && address.address, port: address && address.port });
  });
  return originalListen.apply(this, pinned);
};

/** Reads the target host and port from any `socket.connect` signature. */
function connectTarget(args) {
  const first = args[0];
  if (Array.isArray(first)) return connectTarget(first); // internal normalised form
  if (first !== null && typeof first === 'object') {
    if (first.path !== undefined) return { path: first.path };
    return { host: first.host, port: first.port };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first };
  }
  if (typeof first === 'string') return { path: first };
  return {};
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function loopbackConnect(...args) {
  const target = connectTarget(args);
  if (target.path === undefined && !isLoopback(target.host)) {
    const host = String(target.host);
    record({ event: 'refused', host, port: target.port });
    if (!logFile && !reportedHosts.has(host)) {
      reportedHosts.add(host);
      process.stderr.write(`[loopback-only] refused a connection to ${host}:${target.port}\n`);
    }
    const error = new Error(`connect ECONNREFUSED ${host}:${target.port} (loopback-only preload)`);
    error.code = 'ECONNREFUSED';
    error.errno = -111;
    error.syscall = 'connect';
    error.address = host;
    error.port = target.port;
    this.connecting = false;
    process.nextTick(() => this.destroy(error));
    return this;
  }
  if (target.path === undefined) {
    record({ event: 'connect-allowed', host: target.host === undefined ? 'localhost' : String(target.host), port: target.port });
    this.once('connect', () => record({ event: 'connected', remoteAddress: this.remoteAddress, remotePort: this.remotePort }));
  }
  return originalConnect.apply(this, args);
};

function refusedLookupError(hostname) {
  const error = new Error(`getaddrinfo ENOTFOUND ${hostname} (loopback-only preload)`);
  error.code = 'ENOTFOUND';
  error.syscall = 'getaddrinfo';
  error.hostname = hostname;
  return error;
}

const originalLookup = dns.lookup;
dns.lookup = function loopbackLookup(hostname, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  if (!isLoopback(hostname) && net.isIP(String(hostname)) === 0 && typeof cb === 'function') {
    record({ event: 'refused', host: String(hostname), port: null, via: 'dns.lookup' });
    process.nextTick(() => cb(refusedLookupError(hostname)));
    return {};
  }
  return originalLookup.apply(this, arguments);
};

const originalPromisesLookup = dns.promises.lookup;
dns.promises.lookup = function loopbackPromisesLookup(hostname, options) {
  if (!isLoopback(hostname) && net.isIP(String(hostname)) === 0) {
    record({ event: 'refused', host: String(hostname), port: null, via: 'dns.promises.lookup' });
    return Promise.reject(refusedLookupError(hostname));
  }
  return originalPromisesLookup.call(this, hostname, options);
};

module.exports = { isLoopback, pinListenArgs };
