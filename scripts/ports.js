'use strict';
// The ports of the servers the project starts as child processes on ports of their own (the tests', the benchmarks',
// scripts/bootstrap.js's): chosen free where no outgoing connection is ever given one, and chosen again when another
// process took one before the child bound it. Node built-ins only: scripts/bootstrap.js runs before npm install.
const fs = require('node:fs');
const net = require('node:net');

/** The lowest port chosen: above the ports servers take by default (PostgreSQL's 5432, Temporal's 7233, 8080...). */
const LOWEST_PORT = 10_000;
/** How many times a start is tried on new ports before its caller is told why it failed. */
const START_ATTEMPTS = 5;

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
 * processes choosing at the same moment seldom draw the same one; when they do, one child fails to bind, and
 * startOnFreePorts starts it again.
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

/** A child could not bind a port it was given: another process took it after it was chosen. */
class PortTaken extends Error {
  constructor(message) {
    super(message);
    this.name = 'PortTaken';
  }
}

/** Whether a line a child wrote says that it could not bind a port (as Go, Java, Rust, PostgreSQL and Node say it). */
const saysPortTaken = (line) => /address already in use|EADDRINUSE/i.test(line);

/**
 * Starts a server on `count` distinct free ports (start(ports)), and again on new ones while start throws PortTaken,
 * START_ATTEMPTS times at most; any other failure is the caller's at once.
 */
async function startOnFreePorts(count, start) {
  const failures = [];
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt += 1) {
    const ports = [];
    while (ports.length < count) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    try {
      return await start(ports);
    } catch (error) {
      if (!(error instanceof PortTaken)) throw error;
      failures.push(`  on ${ports.join(', ')}: ${error.message}`);
    }
  }
  throw new Error(
    `no start on free ports: ${START_ATTEMPTS} times in a row another process took a port before the server bound it\n${failures.join('\n')}`,
  );
}

/** The inodes of the sockets listening on `port` (Linux's /proc/net/tcp and tcp6: state 0A; the tenth field). */
function listeningSockets(port) {
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = fs.existsSync(table) ? fs.readFileSync(table, 'utf8').split('\n').slice(1) : [];
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A' && parseInt(fields[1]?.split(':')[1] ?? '', 16) === port) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/**
 * Whether the process `pid` itself listens on `port`: not another that took the port (a server answering there is
 * not the child that could not bind it). Where /proc/net/tcp is missing (not Linux), whether anything answers.
 */
async function listensOn(pid, port) {
  if (!fs.existsSync('/proc/net/tcp')) return portIsOpen(port);
  const inodes = listeningSockets(port);
  if (inodes.size === 0 || pid === undefined) return false;
  let fds;
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // It has exited.
  }
  return fds.some((fd) => {
    try {
      const socket = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      return socket !== null && inodes.has(socket[1]);
    } catch {
      return false; // Closed meanwhile.
    }
  });
}

module.exports = { freePort, listensOn, portIsOpen, PortTaken, saysPortTaken, startOnFreePorts };
