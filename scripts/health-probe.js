'use strict';
/**
 * The health check of Vigil's containers in docker-compose.yml, with Node alone (the image has no curl):
 *   node scripts/health-probe.js http://127.0.0.1:3000/health   exits 0 on a 2xx answer
 *   node scripts/health-probe.js tcp://127.0.0.1:2525           exits 0 once the port takes a connection
 * and 1 otherwise, within 3 s.
 */
const http = require('node:http');
const net = require('node:net');
const { URL } = require('node:url');

const TIMEOUT_MS = 3_000;
const target = new URL(process.argv[2] ?? '');
const done = (healthy) => process.exit(healthy ? 0 : 1);

if (target.protocol === 'tcp:') {
  const socket = net.connect({ host: target.hostname, port: Number(target.port) }, () => done(true));
  socket.setTimeout(TIMEOUT_MS, () => done(false));
  socket.on('error', () => done(false));
} else {
  const request = http.get(target, { timeout: TIMEOUT_MS }, (response) =>
    done(response.statusCode >= 200 && response.statusCode < 300),
  );
  request.on('timeout', () => done(false));
  request.on('error', () => done(false));
}
