import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KeyInFlight, type IdempotencyStore } from '../db/idempotency';
import { answerOnce, sendAnswer, type AnsweredAction } from './idempotent-actions';
import { requestInProgress, type KeyedRequest } from './problems';
import { principalOf } from './request-principal';

/**
 * The admin API's creations (a customer, a contract, a person, an API key, and a link mailed to a person: its token
 * and its mail) answer once per Idempotency-Key of the caller, through the ticket actions' records and rules
 * (answerOnce): a retry gets the first answer again, status and body, marked `idempotent-replayed`; the same key with
 * another request is 422; a refusal (409, 422) is the answer for good. An Update sent twice is applied once by
 * Temporal, a creation run twice is two: so the key is held for the whole request (IdempotencyStore.exclusively), and
 * a twin sent in the same instant (a double click) waits for the first answer rather than creating again (for
 * KEY_WAIT_MS at most, then 409 request-in-progress: the same request later gets the first answer). The claim of
 * the key, the creation and its answer are one transaction (IdempotencyStore.exclusively): an attempt that dies before
 * its answer is recorded leaves nothing, not even the thing it created, and its retry creates it once.
 *
 * The records hold the key's hash, not the key, and an answer's secret (a new API key's token) sealed with a key drawn
 * from the caller's Idempotency-Key: the database alone never gives the token back, the retry that sends the key does.
 */

export interface Creation {
  /** What the answer would be: the created thing's view (its `links.self` is the Location). */
  create: () => Promise<object>;
  /** The answer's field that only its caller may read again, kept sealed in the record (an API key's `token`). */
  secret?: string;
  /** The answer's status: 201 by default, 202 for a link mailed (api/routes/users.ts). */
  status?: 201 | 202;
  /** What the 422 of its key reused asks a new key for: a new creation by default, a new link for a link mailed. */
  what?: Extract<KeyedRequest, 'creation' | 'link'>;
}

const SEALED = 'sealed:';

/** How an Idempotency-Key is kept in its record and named in its lock: its hash, never the key. */
export const storedKeyOf = (key: string): string => `sha256:${createHash('sha256').update(key).digest('hex')}`;

/** AES-256-GCM under a key drawn from the client's Idempotency-Key and its caller: only that retry opens it. */
function sealing(key: string, callerId: string) {
  const secret = Buffer.from(hkdfSync('sha256', key, callerId, 'vigil idempotent creation', 32));
  return {
    seal: (text: string): string => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return SEALED + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
    },
    open: (text: string): string => {
      const raw = Buffer.from(text.slice(SEALED.length), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', secret, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const withField = (body: unknown, field: string, change: (value: string) => string): unknown => {
  if (body === null || typeof body !== 'object' || typeof (body as Record<string, unknown>)[field] !== 'string')
    return body;
  return { ...body, [field]: change((body as Record<string, string>)[field]!) };
};

/**
 * Runs the creation at most once per Idempotency-Key of the caller (every creation without one), and answers its status
 * or its refusal; with a key or without, in one transaction.
 */
export async function createOnce(
  keys: IdempotencyStore,
  request: FastifyRequest,
  { create, secret, status = 201, what = 'creation' }: Creation,
): Promise<AnsweredAction> {
  const principal = principalOf(request);
  const key = (request.headers as Record<string, string | undefined>)['idempotency-key'];
  // The route and its parameters: the same body under another customer is another request.
  const target = `${request.routeOptions.url ?? request.url} ${JSON.stringify(request.params ?? {})}`;
  const act = { target, action: 'create', body: request.body };
  // Nothing to hold without a key, but one transaction still: a creation failing midway leaves none of its rows.
  if (key === undefined)
    return keys.exclusively(principal.keyId, undefined, () =>
      answerOnce(keys, principal, undefined, act, create, { status, what }),
    );
  const stored = storedKeyOf(key);
  const sealed = secret === undefined ? undefined : sealing(key, principal.keyId);
  const answered = await keys
    .exclusively(principal.keyId, stored, (apart) =>
      answerOnce(
        keys,
        principal,
        key,
        act,
        // Apart: a refused creation undoes its own writes, and its refusal is still recorded as the key's answer.
        () => apart(async () => (sealed ? withField(await create(), secret!, sealed.seal) : create())),
        { status, what, storedAs: stored },
      ),
    )
    .catch((error: unknown) => {
      if (error instanceof KeyInFlight) throw requestInProgress(`${error.message}: send it again later for its answer`);
      throw error;
    });
  return sealed && answered.status < 400
    ? { ...answered, body: withField(answered.body, secret!, sealed.open) }
    : answered;
}

/** The answer, with the created thing's address as Location (replays included) and never kept by a cache. */
export function sendCreated(reply: FastifyReply, answered: AnsweredAction): FastifyReply {
  const self = (answered.body as { links?: { self?: unknown } } | null)?.links?.self;
  if (answered.status === 201 && typeof self === 'string') void reply.header('location', self);
  return sendAnswer(reply, answered);
}
