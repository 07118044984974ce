import fs from 'node:fs';
import { freePort } from '../../scripts/ports';

describe('servers started on ports of their own', () => {
  it('are given ports below the range the kernel takes local ports of outgoing connections from', async () => {
    const [first] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(first!);
    }
    expect(await freePort({ max: 20_000 })).toBeLessThanOrEqual(20_000);
  });
});
