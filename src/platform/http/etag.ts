import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { DomainError } from '../errors/domain-error.js';
import { RenderedJson } from './record-view.js';

/** The ETag of a representation with a `version`: a strong tag of the version number. */
export const etagOf = (version: number) => `"${version}"`;

/** The version of a handler's result when it is one record (an object or a {@link RenderedJson} with a `version`). */
export function versionOf(body: unknown): number | undefined {
  const version = body instanceof RenderedJson ? body.version : (body as { version?: unknown } | null | undefined)?.version;
  return typeof version === 'number' ? version : undefined;
}

/**
 * The HTTP adapter: Nest's Fastify adapter, plus the ETag of every record it sends. Nest hands
 * every handler result to `reply()`; a body with a numeric `version` (one record) gets `ETag`,
 * and a GET whose `If-None-Match` matches is answered 304 without a body. Done here rather than
 * in a global interceptor: any global interceptor makes Nest run every request of every route
 * through an RxJS pipeline (a ReplaySubject and several operators per request). A
 * {@link RenderedJson} body is sent as the JSON text it already is.
 */
export class CrmFastifyAdapter extends FastifyAdapter {
  override reply(response: FastifyReply | ServerResponse, body: unknown, statusCode?: number) {
    const version = versionOf(body);
    const reply = response as FastifyReply;
    if (body instanceof RenderedJson) {
      if (typeof reply.type === 'function') reply.type('application/json; charset=utf-8');
      body = body.text;
    }
    // A Fastify reply (Nest may also pass a raw ServerResponse, which has no `request`).
    if (version !== undefined && reply.request !== undefined) {
      const etag = etagOf(version);
      reply.header('etag', etag);
      if (reply.request.method === 'GET' && reply.request.headers['if-none-match'] === etag) return super.reply(reply, undefined, 304);
    }
    return super.reply(response, body, statusCode);
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
