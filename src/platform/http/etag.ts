import { createParamDecorator, type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { DomainError } from '../errors/domain-error.js';

/** The ETag of a representation with a `version`: a strong tag of the version number. */
export const etagOf = (version: number) => `"${version}"`;

/**
 * Sets `ETag` on every response whose body has a numeric `version` (one record), and answers
 * a GET whose `If-None-Match` matches with 304.
 */
@Injectable()
export class ETagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body) => {
        const version = (body as { version?: unknown } | undefined)?.version;
        if (typeof version !== 'number') return body;
        const etag = etagOf(version);
        reply.header('etag', etag);
        if (request.method === 'GET' && request.headers['if-none-match'] === etag) {
          reply.status(304);
          return undefined;
        }
        return body;
      }),
    );
  }
}

/** Parses an `If-Match` header into the expected version; `*` or absent → undefined. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header[0] : header).trim();
  if (value === '*' || value === '') return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  if (!match) {
    throw new DomainError('invalid', 'validation-failed', 'If-Match must be an ETag from a previous response, e.g. "3"', {}, [
      { field: 'If-Match', message: 'must be an ETag such as "3"' },
    ]);
  }
  return Number(match[1]);
}

/**
 * `@IfMatch() expectedVersion?: number` — the version the client last saw. The use case
 * passes it to a conditional update, which answers 412 when the record has moved on.
 */
export const IfMatch = createParamDecorator((_: unknown, context: ExecutionContext) =>
  parseIfMatch(context.switchToHttp().getRequest<FastifyRequest>().headers['if-match']),
);
