import { createHmac } from 'node:crypto';

/**
 * `Vigil-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, the scheme Stripe made familiar: the receiver
 * recomputes the HMAC over the timestamp and the raw body with the endpoint's secret, compares in constant time, and
 * refuses a timestamp too old, so that a captured call cannot be replayed later.
 */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}
