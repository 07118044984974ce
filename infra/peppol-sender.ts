/**
 * Sending a UBL e-invoice over Peppol goes through an access point (a certified provider: Vigil is none). This is the
 * seam: a sender posts the UBL to the access point's URL with its API key and gets the message id back. Access points
 * differ in their APIs; the HTTP one here is the common shape (POST the document, receiver in headers) and another
 * provider's is one more implementation of PeppolSender. test/e2e/invoice-peppol.test.ts runs it against a local fake.
 */
export interface PeppolReceiver {
  /** Electronic address scheme (EAS), e.g. 0208 for a Belgian enterprise number. */
  scheme: string;
  id: string;
}

export interface PeppolSender {
  send(message: { documentNumber: string; receiver: PeppolReceiver; ubl: Buffer }): Promise<{ messageId: string }>;
}

/** The access point did not answer in time or failed on its side: try again later. */
export class PeppolUnavailableError extends Error {}
/** VIGIL_PEPPOL_* set wrong. */
export class PeppolConfigError extends Error {}
/** The access point refused the document (4xx): sending it again will not help. */
export class PeppolRefusedError extends Error {}

export function httpPeppolSender({
  url,
  apiKey,
  timeoutMs = 10_000,
}: {
  url: string;
  apiKey: string;
  timeoutMs?: number;
}): PeppolSender {
  return {
    async send({ documentNumber, receiver, ubl }) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${apiKey}`,
            'content-type': 'application/xml',
            'x-peppol-receiver': `${receiver.scheme}:${receiver.id}`,
            'x-document-number': documentNumber,
          },
          body: ubl,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new PeppolUnavailableError(`the Peppol access point ${url} did not answer: ${(error as Error).message}`);
      }
      const text = await response.text();
      if (response.status >= 500 || response.status === 429)
        throw new PeppolUnavailableError(`the Peppol access point answered ${response.status}: ${text.slice(0, 200)}`);
      if (!response.ok)
        throw new PeppolRefusedError(
          `the Peppol access point refused ${documentNumber} (${response.status}): ${text.slice(0, 200)}`,
        );
      const messageId = (JSON.parse(text) as { messageId?: unknown }).messageId;
      if (typeof messageId !== 'string')
        throw new PeppolUnavailableError(`the Peppol access point answered without a messageId: ${text.slice(0, 200)}`);
      return { messageId };
    },
  };
}

/** VIGIL_PEPPOL_URL and VIGIL_PEPPOL_API_KEY, both or neither; undefined when neither (nothing is sent). */
export function peppolSenderFromEnv(env: NodeJS.ProcessEnv): PeppolSender | undefined {
  const url = env.VIGIL_PEPPOL_URL?.trim();
  const apiKey = env.VIGIL_PEPPOL_API_KEY?.trim();
  if (!url && !apiKey) return undefined;
  if (!url || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw new PeppolConfigError(`VIGIL_PEPPOL_URL must be the access point's http(s) URL, got '${url ?? ''}'`);
  if (!apiKey)
    throw new PeppolConfigError('VIGIL_PEPPOL_API_KEY is not set: the access point at VIGIL_PEPPOL_URL needs it');
  return httpPeppolSender({ url, apiKey });
}
