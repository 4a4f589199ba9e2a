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
import { etagOf } from './etag.js';
import type { Actor } from '../identity/actor.js';

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

/**
 * `Idempotency-Key` on POST. The key is claimed with `INSERT … ON CONFLICT DO NOTHING` inside
 * the same transaction as the use case (which joins it), and the response is stored in that
 * transaction too — so the effect and its recorded response commit together or not at all.
 * A concurrent duplicate blocks on the claimed key until the first commits, then replays its
 * response; if the first rolls back, the duplicate executes. Same key with another body → 422.
 * Keys are scoped per caller and kept 24 h (pruned by the platform maintenance job).
 * Bound to the routes that declare `@Endpoint({ idempotent: true })` (every POST that creates
 * or changes something), not globally: a global interceptor puts every request of every route
 * through an RxJS pipeline.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly tx: Tx, private readonly reflector: Reflector, private readonly commitWrites: CommitWrites) {
    // The stored response is written with the transaction's other deferred writes, before COMMIT.
    commitWrites.register(IDEMPOTENCY, {
      ctes: (doc) => [
        `idempotency AS (
           UPDATE platform.idempotency_keys k
              SET state = 'completed', status_code = x.status_code, response_body = x.response_body, headers = x.headers, completed_at = now()
             FROM jsonb_to_recordset(${doc}) AS x(caller text, key text, status_code int, response_body text, headers jsonb)
            WHERE k.caller = x.caller AND k.key = x.key)`,
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

    return from(
      this.tx.withTransaction(async () => {
        const em = this.tx.tx;
        const claimed = await queryPrepared(
          em,
          `INSERT INTO platform.idempotency_keys (caller, key, request_hash) VALUES ($1, $2, $3)
           ON CONFLICT (caller, key) DO NOTHING RETURNING key`,
          [caller, key, hash],
        );
        if (claimed.length === 0) {
          const [stored]: StoredResponse[] = await em.query(
            `SELECT request_hash, status_code, response_body, headers FROM platform.idempotency_keys
              WHERE caller = $1 AND key = $2 AND created_at > now() - interval '24 hours'`,
            [caller, key],
          );
          if (stored) return this.replay(stored, hash, reply);
          // An expired key: take it over for this request.
          await em.query(
            `UPDATE platform.idempotency_keys SET request_hash = $3, state = 'in-progress', status_code = NULL,
                    response_body = NULL, headers = NULL, created_at = now(), completed_at = NULL
              WHERE caller = $1 AND key = $2`,
            [caller, key, hash],
          );
        }
        const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        const headers: Record<string, string> = {};
        for (const name of REPLAYED_HEADERS) {
          const value = reply.getHeader(name);
          if (value !== undefined) headers[name] = String(value);
        }
        // The ETag is set when the body is sent (CrmFastifyAdapter), after this interceptor.
        const version = (body as { version?: unknown } | undefined)?.version;
        if (typeof version === 'number') headers.etag = etagOf(version);
        this.commitWrites.defer(em, IDEMPOTENCY, {
          caller,
          key,
          status_code: reply.statusCode !== 200 ? reply.statusCode : status,
          response_body: body === undefined ? null : JSON.stringify(body),
          headers,
        });
        return body;
      }),
    );
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
    return stored.response_body === null ? undefined : JSON.parse(stored.response_body);
  }
}
