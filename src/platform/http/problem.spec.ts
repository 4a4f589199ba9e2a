import { ServiceUnavailableException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { toProblem } from './problem';

const queryError = (code: string) => Object.assign(new QueryFailedError('SELECT secret FROM t', [], new Error('boom')), { code });

describe('toProblem', () => {
  it('maps domain errors to their status with code, detail and extras', () => {
    const p = toProblem(new DomainError('rule-violated', 'cost-centre-cap-exceeded', 'Over the cap', { availableMinor: 5 }), '/x', 'r1');
    expect(p).toMatchObject({ status: 422, code: 'cost-centre-cap-exceeded', detail: 'Over the cap', availableMinor: 5, instance: '/x', requestId: 'r1' });
  });

  it('maps database errors without revealing SQL', () => {
    expect(toProblem(queryError('23505'), '/x', 'r').status).toBe(409);
    expect(toProblem(queryError('22P02'), '/x', 'r').status).toBe(400);
    expect(toProblem(queryError('57014'), '/x', 'r').status).toBe(503);
    const unknown = toProblem(queryError('XX000'), '/x', 'r');
    expect(unknown).toMatchObject({ status: 500, code: 'internal-error' });
    expect(JSON.stringify(unknown)).not.toContain('secret');
  });

  it('answers 503 with a retry hint when the connection pool is exhausted', () => {
    expect(toProblem(new Error('timeout exceeded when trying to connect'), '/x', 'r')).toMatchObject({ status: 503, retryAfterSeconds: 1 });
  });

  it('keeps readiness details on 503 and hides other 5xx messages', () => {
    const p = toProblem(new ServiceUnavailableException({ status: 'error', details: { database: { status: 'down' } } }), '/health/ready', 'r');
    expect(p).toMatchObject({ status: 503, checks: { database: { status: 'down' } } });
    expect(toProblem(new TypeError('x is undefined at /work/src/a.ts:3'), '/x', 'r')).toMatchObject({ status: 500, detail: 'An unexpected error occurred' });
  });

  it('maps Fastify’s own 4xx errors', () => {
    expect(toProblem({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'too large' }, '/x', 'r')).toMatchObject({ status: 413, code: 'payload-too-large' });
    expect(toProblem({ statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', message: 'no' }, '/x', 'r')).toMatchObject({ status: 415, code: 'unsupported-media-type' });
  });
});
