'use strict';
// The ports of the servers the project starts as child processes on ports of their own (the tests', the benchmarks',
// scripts/bootstrap.js's): chosen free where no outgoing connection is ever given one. Node built-ins only:
// scripts/bootstrap.js runs before npm install.
const fs = require('node:fs');
const net = require('node:net');

/** The lowest port chosen: above the ports servers take by default (PostgreSQL's 5432, Temporal's 7233, 8080...). */
const LOWEST_PORT = 10_000;

/**
 * The kernel's ephemeral range, from which it gives every outgoing connection its local port and every listen on port
 * 0 its port: a port chosen there is free when looked at, and any connection made meanwhile, by any process, can take
 * it before the child binds it. Linux says which (32768 to 60999 by default); elsewhere IANA's range is assumed.
 */
function ephemeralRange() {
  try {
    const [first, last] = fs
      .readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (Number.isInteger(first) && Number.isInteger(last)) return { first, last };
  } catch {
    // Not Linux.
  }
  return { first: 49152, last: 65535 };
}

/** Whether something answers on the port. */
function portIsOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const bindable = (port) =>
  new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A port of 127.0.0.1 nothing holds, below the ephemeral range (and at most `max`), drawn at random so that two
 * processes choosing at the same moment seldom draw the same one.
 */
async function freePort({ max = 65535 } = {}) {
  const highest = Math.min(max, ephemeralRange().first - 1);
  if (highest < LOWEST_PORT) throw new Error(`no port to choose between ${LOWEST_PORT} and ${highest}`);
  for (let tried = 0; tried < 100; tried += 1) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (highest - LOWEST_PORT + 1));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port found between ${LOWEST_PORT} and ${highest}`);
}

module.exports = { freePort, portIsOpen };
