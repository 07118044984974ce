import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** PEM certificates to trust besides the system's (WEBHOOK_CA_FILE): a desk's own PKI, or a test's self-signed one. */
  ca?: string;
}

/**
 * One POST, answered with the endpoint's status; a refused connection, a TLS failure or no answer within `timeoutMs`
 * rejects. node:https rather than fetch: fetch cannot be told to trust a certificate authority of the desk's own.
 * Redirects are not followed: a webhook's URL is what the admin registered.
 */
export function postOnce(target: string, options: PostOptions): Promise<number> {
  const url = new URL(target);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
        // Given `ca` replaces Node's roots: they are kept, with the desk's certificate added.
        ...(options.ca && url.protocol === 'https:' ? { ca: [...tls.rootCertificates, options.ca] } : {}),
      },
      (response) => {
        // The answer's body says nothing we keep: read it away so the socket is freed.
        response.resume();
        response.on('end', () => {
          clearTimeout(deadline);
          resolve(response.statusCode ?? 0);
        });
        response.on('error', reject);
      },
    );
    // The whole call, not each silence: an endpoint that trickles its answer does not hold a lane for ever.
    const deadline = setTimeout(
      () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    request.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    request.end(options.body);
  });
}
