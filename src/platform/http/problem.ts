import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HttpException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError, type FieldError } from '../errors/domain-error.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export class FieldErrorDto implements FieldError {
  @ApiProperty({ example: 'email' }) field: string;
  @ApiProperty({ example: 'email must be an email' }) message: string;
}

/** RFC 9457 problem details, the body of every error response. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'https://crm.example.com/problems/validation-failed' }) type: string;
  @ApiProperty({ example: 'Bad Request' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ example: 'The request has 1 invalid field' }) detail: string;
  @ApiProperty({ example: '/api/v1/sales/accounts' }) instance: string;
  @ApiProperty({ example: 'validation-failed', description: 'Stable machine-readable code' }) code: string;
  @ApiProperty({ example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d', description: 'Correlates with the server logs' })
  requestId: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 408: 'Request Timeout', 409: 'Conflict', 412: 'Precondition Failed', 413: 'Content Too Large',
  414: 'URI Too Long', 415: 'Unsupported Media Type', 431: 'Request Header Fields Too Large', 422: 'Unprocessable Content', 429: 'Too Many Requests',
  500: 'Internal Server Error', 503: 'Service Unavailable',
};

const CODES: Record<number, string> = {
  400: 'bad-request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found', 405: 'method-not-allowed',
  406: 'not-acceptable', 408: 'request-timeout', 409: 'conflict', 412: 'precondition-failed', 413: 'payload-too-large',
  414: 'uri-too-long', 415: 'unsupported-media-type', 431: 'headers-too-large', 422: 'unprocessable', 429: 'rate-limited', 500: 'internal-error', 503: 'unavailable',
};

/** Shape of the errors Fastify itself throws (body parsing, size limits, content types). */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/** Problem details with the given status and stable code. */
export function problemOf(status: number, code: string, detail: string, instance: string, requestId: string, extras: Record<string, unknown> = {}): Problem {
  return { type: `https://crm.example.com/problems/${code}`, title: TITLES[status] ?? 'Error', status, detail, instance, code, requestId, ...extras };
}

/**
 * Turns any thrown value into problem details. Only {@link DomainError}s, Nest HTTP exceptions
 * and Fastify's own 4xx errors reveal their message; anything else is a 500 whose body says
 * nothing but the request id (the log has the rest).
 */
export function toProblem(error: unknown, instance: string, requestId: string): Problem {
  const base = (status: number, code: string, detail: string, extras: Record<string, unknown> = {}): Problem =>
    problemOf(status, code, detail, instance, requestId, extras);

  if (error instanceof DomainError) {
    const problem = base(error.status, error.code, error.detail, error.extras);
    if (error.errors) problem.errors = error.errors;
    return problem;
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string' ? response : Array.isArray((response as { message?: unknown }).message)
        ? ((response as { message: string[] }).message).join('; ')
        : String((response as { message?: unknown }).message ?? error.message);
    if (status === 503) {
      const details = typeof response === 'object' ? (response as { details?: unknown }).details : undefined;
      return base(503, 'unavailable', 'The service is not ready', details ? { checks: details } : {});
    }
    if (status >= 500) return base(500, 'internal-error', 'An unexpected error occurred');
    return base(status, CODES[status] ?? 'error', message);
  }
  if (error instanceof Error && /timeout exceeded when trying to connect|Connection terminated|ECONNREFUSED|ECONNRESET|EPIPE|terminating connection|not queryable|Query runner already released/.test(error.message)) {
    // Pool exhausted or the database unreachable: a transient condition, not a bug.
    return base(503, 'database-unavailable', 'The database is busy or unreachable; retry shortly', { retryAfterSeconds: 1 });
  }
  if (error instanceof QueryFailedError) {
    const pgCode = (error as unknown as { code?: string }).code;
    if (pgCode === '57014') return base(503, 'statement-timeout', 'The database took too long to answer; try again');
    if (pgCode === '22P02' || pgCode === '22007' || pgCode === '22008' || pgCode === '22003') {
      return base(400, 'invalid-value', 'A value in the request is out of range or malformed');
    }
    if (pgCode === '23505') return base(409, 'duplicate', 'A record with the same unique value already exists');
    if (pgCode === '40001' || pgCode === '40P01') return base(503, 'retry', 'A concurrent change got in the way; try again');
    if (pgCode?.startsWith('57P') || pgCode?.startsWith('08')) {
      return base(503, 'database-unavailable', 'The database connection was lost; retry shortly', { retryAfterSeconds: 1 });
    }
    return base(500, 'internal-error', 'An unexpected error occurred');
  }
  const fastify = error as FastifyLikeError;
  if (fastify && typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const status = fastify.statusCode;
    const code =
      fastify.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'payload-too-large'
      : fastify.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported-media-type'
      : status === 400 ? 'malformed-request'
      : (CODES[status] ?? 'error');
    return base(status, code, fastify.message ?? TITLES[status] ?? 'Error');
  }
  return base(500, 'internal-error', 'An unexpected error occurred');
}
