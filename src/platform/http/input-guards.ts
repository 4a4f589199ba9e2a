import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TrustProxySetting } from '../config/env-schema.js';
import { DomainError, type FieldError } from '../errors/domain-error.js';
import { PROBLEM_CONTENT_TYPE, problemOf, type Problem } from './problem.js';
import { validationError } from './validation.js';

/**
 * Guards every request passes before any validator or query sees it, so bad input answers a
 * 400 problem+json naming the field instead of a stack overflow or a PostgreSQL error (500):
 * - JSON nested deeper than {@link MAX_JSON_DEPTH}: refused by the JSON body parser itself, from
 *   the raw bytes, before `JSON.parse` and before class-transformer/class-validator recurse;
 * - NUL characters (PostgreSQL text cannot hold them) and unpaired UTF-16 surrogates (not text;
 *   validator.js throws on them) in body strings and keys, query values and path parameters;
 * - errors the HTTP parser answers before Fastify has a request (431 headers too large, 414
 *   URI too long, 400 malformed) and Fastify's router errors (bad percent-encoding, an
 *   over-long path parameter) leave as RFC 9457 problem+json too.
 */
export const MAX_JSON_DEPTH = 64;

/** URLs whose request line is longer than this answer 414 when the HTTP parser gives up on them. */
const LONG_REQUEST_LINE = 8 * 1024;

const UNSAFE_TEXT = /\u0000|\p{Cs}/u;
const NUL = /\u0000/;

/** Why a string cannot be stored as text, or undefined when it can. */
function unsafeText(text: string): string | undefined {
  if (!UNSAFE_TEXT.test(text)) return undefined;
  return NUL.test(text) ? 'must not contain NUL characters (\\u0000)' : 'must be valid Unicode text (it has an unpaired UTF-16 surrogate)';
}

/** A field name fit to print back: the offending characters replaced. */
const printable = (name: string) => name.replace(/\u0000|\p{Cs}/gu, '\uFFFD');

const field = (prefix: string, key: string | number) =>
  typeof key === 'number' ? `${prefix}[${key}]` : prefix ? `${prefix}.${printable(key)}` : printable(key);

/** Every string (value or key) in `value` that PostgreSQL or the validators cannot take. */
export function findUnsafeText(value: unknown, prefix: string, errors: FieldError[], depth = 0): FieldError[] {
  if (typeof value === 'string') {
    const message = unsafeText(value);
    if (message) errors.push({ field: prefix || 'body', message });
  } else if (Array.isArray(value)) {
    if (depth <= MAX_JSON_DEPTH) value.forEach((item, i) => findUnsafeText(item, field(prefix, i), errors, depth + 1));
  } else if (value !== null && typeof value === 'object') {
    if (depth > MAX_JSON_DEPTH) return errors;
    for (const [key, item] of Object.entries(value)) {
      const message = unsafeText(key);
      if (message) errors.push({ field: field(prefix, key), message: `(the name) ${message}` });
      findUnsafeText(item, field(prefix, key), errors, depth + 1);
    }
  }
  return errors;
}

/**
 * The nesting depth of a JSON text, from its bytes (UTF-8: no byte of a multi-byte character
 * is a bracket, quote or backslash), stopping as soon as it passes `limit`.
 */
export function jsonDepthExceeds(body: Buffer | string, limit = MAX_JSON_DEPTH): boolean {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      if (++depth > limit) return true;
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return false;
}

type BodyParser = (request: FastifyRequest, body: Buffer, done: (error: Error | null, body?: unknown) => void) => void;

/** The JSON body parser: Fastify's own (prototype poisoning refused), after the depth check. */
export function jsonBodyParser(fastify: FastifyInstance): BodyParser {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    if (jsonDepthExceeds(body)) {
      done(validationError([{ field: 'body', message: `JSON must not be nested deeper than ${MAX_JSON_DEPTH} levels` }]));
      return;
    }
    // Fastify's parser takes the buffer as it is.
    parse(request, body as unknown as string, (error, parsed) => {
      if (!error) return done(null, parsed);
      const empty = (error as { code?: string }).code === 'FST_ERR_CTP_EMPTY_JSON_BODY';
      const message = empty ? 'is empty, but the content type is application/json' : 'is not valid JSON';
      done(new DomainError('invalid', 'malformed-request', `The request body ${message}`, {}, [{ field: 'body', message }]));
    });
  };
}

/**
 * `preValidation` hook: NUL characters and unpaired surrogates in path parameters, query values
 * and the parsed body (JSON, CSV, form) → 400 listing each field.
 */
export function refuseUnsafeText(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    const errors: FieldError[] = [];
    for (const [name, value] of Object.entries((request.params ?? {}) as Record<string, unknown>)) findUnsafeText(value, name === '*' ? 'path' : name, errors);
    for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) findUnsafeText(value, name, errors);
    if (request.body !== undefined) findUnsafeText(request.body, '', errors);
    done(errors.length ? validationError(errors) : undefined);
  });
}

/** Fastify's `trustProxy` for a {@link TrustProxySetting}: a hop count trusts the nearest N peers. */
export function trustProxyOption(setting: TrustProxySetting): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address: string, hop: number) => hop < setting;
  return setting;
}

function problem(status: number, code: string, detail: string, instance: string, requestId: string, errors?: FieldError[]): Problem {
  return problemOf(status, code, detail, instance, requestId, errors ? { errors } : {});
}

/** The first line of what the client sent, when the parser's error carries it. */
function requestLineOf(error: { rawPacket?: unknown }): { length: number; complete: boolean } | undefined {
  const packet = error.rawPacket;
  if (!Buffer.isBuffer(packet) || !/^[A-Z]{3,10} /.test(packet.subarray(0, 11).toString('latin1'))) return undefined;
  const end = packet.indexOf('\r\n');
  return { length: end === -1 ? packet.length : end, complete: end !== -1 };
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before there is a request
 * (headers over `--max-http-header-size`, which counts the URL too, a malformed request line)
 * answers problem+json on the raw socket, then the connection closes.
 */
export function clientErrorHandler(error: Error & { code?: string; rawPacket?: unknown }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const requestId = randomUUID();
  const instance = `urn:uuid:${requestId}`;
  let body: Problem;
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    const line = requestLineOf(error);
    body = line && (line.length > LONG_REQUEST_LINE || !line.complete)
      ? problem(414, 'uri-too-long', 'The request URI is too long', instance, requestId, [{ field: 'url', message: 'is too long' }])
      : problem(431, 'headers-too-large', 'The request headers are too large', instance, requestId, [{ field: 'headers', message: 'are too large' }]);
  } else if (error.code === 'HPE_URI_TOO_LONG') {
    body = problem(414, 'uri-too-long', 'The request URI is too long', instance, requestId, [{ field: 'url', message: 'is too long' }]);
  } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    body = problem(408, 'request-timeout', 'The request took too long to arrive', instance, requestId);
  } else {
    body = problem(400, 'malformed-request', 'The request is not valid HTTP/1.1', instance, requestId);
  }
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status] ?? 'Error'}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}

/**
 * Fastify's `frameworkErrors`: errors its router raises before a route runs (a path that is not
 * valid percent-encoding, a path parameter over `maxParamLength`) as problem+json.
 */
export function frameworkErrors(error: Error & { code?: string; statusCode?: number }, request: FastifyRequest, reply: FastifyReply): void {
  const requestId = String(request.id);
  const instance = (request.raw as IncomingMessage).url?.split('?')[0].slice(0, 200) ?? '/';
  const body =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? problem(414, 'uri-too-long', 'A path parameter is too long', instance, requestId, [{ field: 'path', message: 'a path segment is too long' }])
      : error.code === 'FST_ERR_BAD_URL'
        ? problem(400, 'malformed-request', 'The path is not valid percent-encoded UTF-8', instance, requestId, [{ field: 'path', message: 'is not valid percent-encoding' }])
        : problem(error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400, 'malformed-request', 'The request cannot be routed', instance, requestId);
  void reply.status(body.status).header('x-request-id', requestId).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
