import { createHash, randomBytes } from 'node:crypto';

/** Opaque credentials (refresh tokens, API keys) are stored as their SHA-256 only. */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
