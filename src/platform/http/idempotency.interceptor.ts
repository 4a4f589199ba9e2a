import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { CommitWrites } from '../database/commit-writes.js';
import { queryPrepared } from '../database/prepared.js';
import { Tx } from '../database/transaction.js';
import { DomainError } from '../errors/domain-error.js';
import { etagOf, versionOf } from './etag.js';
import { RenderedJson } from './record-view.js';
import type { Actor } from '../identity/domain/actor.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const REPLAYED_HEADERS = ['etag', 'location'];
const IDEMPOTENCY = 'idempotency';

interface StoredResponse {
  request_hash: string;
  status_code: number;
  response_body: string | null;
  headers: Record<string, string> | null;
}

/** Stable JSON (sorted keys) so that the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The stored response of a key, if one was stored in the last 24 h. */
const STORED = `SELECT request_hash, status_code, response_body, headers FROM platform.idempotency_keys
                 WHERE caller = $1 AND key = $2 AND created_at > now() - interval '24 hours'`;

/**
 * {@link STORED}, deleting an older row for the key in the same statement (in the request's
 * transaction), so that the response of this request can take the key over.
 */
const LOOKUP = `WITH expired AS (
                  DELETE FROM platform.idempotency_keys
                   WHERE caller = $1 AND key = $2 AND created_at <= now() - interval '24 hours')
                ${STORED}`;

/** Thrown inside the transaction to roll back what the use case did when the key has a stored response. */
class Replay {
  constructor(readonly stored: StoredResponse) {}
}

/**
 * `Idempotency-Key` on POST. The response is stored under the key in the same transaction as the
 * use case's effects — so they commit together or not at all — and the key is unique per caller:
 * - the stored response is looked up at the start of the transaction, sent together with its
 *   first statement (no round trip of its own); when there is one, whatever the use case did is
 *   rolled back and the stored response is replayed (same key with another body → 422);
 * - concurrent duplicates all run, and at COMMIT wait for each other on the key's unique index:
 *   the first commits, the others fail on the key, roll back, and replay the first's response.
 *   A duplicate whose use case fails while the first commits (a lock it waited for, a rule the
 *   first's effects now break) replays it too: after any failure the key is looked up again.
 * A failed request stores nothing (a retry executes). Keys are scoped per caller and kept 24 h
 * (pruned by the platform maintenance job). Bound to the routes that declare
 * `@Endpoint({ idempotent: true })` (every POST that creates or changes something), not
 * globally: a global interceptor puts every request of every route through an RxJS pipeline.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly tx: Tx, private readonly reflector: Reflector, private readonly commitWrites: CommitWrites) {
    // The response is stored with the transaction's other deferred writes, before COMMIT; a key
    // another request stored meanwhile makes this INSERT, hence the COMMIT, fail.
    commitWrites.register(IDEMPOTENCY, {
      ctes: (doc) => [
        `idempotency AS (
           INSERT INTO platform.idempotency_keys (caller, key, request_hash, state, status_code, response_body, headers, completed_at)
           SELECT x.caller, x.key, x.request_hash, 'completed', x.status_code, x.response_body, x.headers, now()
             FROM jsonb_to_recordset(${doc}) AS x(caller text, key text, request_hash text, status_code int, response_body text, headers jsonb))`,
      ],
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    const rawKey = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || rawKey === undefined) return next.handle();
    const key = Array.isArray(rawKey) ? rawKey[0] : rawKey;
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new DomainError('invalid', 'validation-failed', 'Idempotency-Key must be 1–255 visible ASCII characters', {}, [
        { field: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' },
      ]);
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const caller = request.actor ? `${request.actor.type}:${request.actor.id}` : `anonymous:${request.ip}`;
    const hash = createHash('sha256').update(`${request.method} ${request.url}\n${canonical(request.body)}`).digest('hex');
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
    return from(this.handleOnce(next, reply, caller, key, hash, status));
  }

  private async handleOnce(next: CallHandler, reply: FastifyReply, caller: string, key: string, hash: string, status: number): Promise<unknown> {
    try {
      return await this.tx.withTransaction(async () => {
        const em = this.tx.tx;
        const lookup = queryPrepared<StoredResponse>(em, LOOKUP, [caller, key]);
        lookup.catch(() => undefined); // awaited below, whatever the use case does
        let body: unknown;
        let failure: { error: unknown } | undefined;
        try {
          body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        } catch (error) {
          failure = { error };
        }
        const [stored] = await lookup;
        if (stored) throw new Replay(stored);
        if (failure) throw failure.error;
        const headers: Record<string, string> = {};
        for (const name of REPLAYED_HEADERS) {
          const value = reply.getHeader(name);
          if (value !== undefined) headers[name] = String(value);
        }
        // The ETag is set when the body is sent (CrmFastifyAdapter), after this interceptor.
        const version = versionOf(body);
        if (version !== undefined) headers.etag = etagOf(version);
        const text = body instanceof RenderedJson ? body.text : body === undefined ? null : JSON.stringify(body);
        this.commitWrites.defer(em, IDEMPOTENCY, {
          caller,
          key,
          request_hash: hash,
          status_code: reply.statusCode !== 200 ? reply.statusCode : status,
          response_body: text,
          headers,
        });
        // The stored text is the body sent (serialized once; replays are byte for byte the same).
        return text === null ? undefined : new RenderedJson(text, version);
      });
    } catch (error) {
      if (error instanceof Replay) return this.replay(error.stored, hash, reply);
      const [stored] = await queryPrepared<StoredResponse>(this.tx.tx, STORED, [caller, key]);
      if (stored) return this.replay(stored, hash, reply);
      throw error;
    }
  }

  private replay(stored: StoredResponse, hash: string, reply: FastifyReply): unknown {
    if (stored.request_hash !== hash) {
      throw new DomainError(
        'rule-violated',
        'idempotency-key-reused',
        'This Idempotency-Key was already used with a different request body; use a new key for a new request',
      );
    }
    reply.status(stored.status_code);
    for (const [name, value] of Object.entries(stored.headers ?? {})) reply.header(name, value);
    reply.header('idempotent-replayed', 'true');
    return stored.response_body === null ? undefined : new RenderedJson(stored.response_body);
  }
}
