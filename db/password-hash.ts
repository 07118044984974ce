import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords as scrypt hashes (RFC 7914), a salt per password: `scrypt$N$r$p$salt$hash`, base64url. N = 2^15, r = 8,
 * p = 1 (OWASP's minimum for scrypt), 32-byte key, 16-byte salt: about 50 ms and 32 MiB per check on this
 * repository's CI machines. The parameters travel in the hash, so raising them later leaves older hashes readable.
 */
const PARAMETERS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const HASH = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{32,128})$/;

// Node refuses N·r·128 bytes above its default 32 MiB: allow twice what the parameters need.
const derive = (password: string, salt: Buffer, { N, r, p }: { N: number; r: number; p: number }, length: number) =>
  new Promise<Buffer>((resolve, reject) => {
    const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, PARAMETERS, KEY_LENGTH);
  return `scrypt$${PARAMETERS.N}$${PARAMETERS.r}$${PARAMETERS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

// Checked against when the account is unknown or has no password, so that its answer takes as long as a real check.
let decoy: Promise<string> | undefined;

/** Whether `password` matches `stored`; without a stored hash, still spends a check's time and answers false. */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const match = HASH.exec(stored ?? (await (decoy ??= hashPassword(randomBytes(16).toString('hex')))));
  if (!match) return false;
  const [, N, r, p, salt, hash] = match;
  const expected = Buffer.from(hash!, 'base64url');
  const actual = await derive(
    password,
    Buffer.from(salt!, 'base64url'),
    { N: Number(N), r: Number(r), p: Number(p) },
    expected.length,
  );
  return timingSafeEqual(actual, expected) && stored !== undefined;
}

/**
 * What a password must be: long enough to resist guessing, short enough that hashing it is bounded. As a fault, for
 * a page that words it in its reader's language (api/web/sign-in.ts); passwordProblem words it in English.
 */
export function passwordFault(password: string): 'too-short' | 'too-long' | undefined {
  if ([...password].length < 12) return 'too-short';
  if (password.length > 256) return 'too-long';
  return undefined;
}

export function passwordProblem(password: string): string | undefined {
  const fault = passwordFault(password);
  if (fault === 'too-short') return 'must have at least 12 characters';
  if (fault === 'too-long') return 'must have at most 256 characters';
  return undefined;
}
