import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { declaredOpenApiTags } from './openapi-tags.js';
import { ProblemDetailsDto } from './problem.js';

export const API_VERSION = '0.1.0';

/** Builds the OpenAPI document from the controllers (no listener needed). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('CRM API')
    .setDescription(
      [
        'API-first CRM: sales, marketing, service, call center, analytics, finance (cost centres) and workflow.',
        '',
        'Conventions: errors are RFC 9457 `application/problem+json`; lists answer `{ items, nextCursor }` with',
        '`limit` (≤ 500), opaque `cursor`, `sort`, `updatedSince`; GET returns `ETag`, updates honour `If-Match`',
        '(412 when stale); every POST accepts `Idempotency-Key`. Records outside your data scope answer 404.',
      ].join('\n'),
    )
    .setVersion(API_VERSION)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from POST /api/v1/auth/login' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'API key for scripts and integrations' }, 'apiKey')
    .addServer('/');
  // Each module declares its own tags (@OpenApiTags); the kernel lists none of the contexts.
  for (const tag of declaredOpenApiTags(app)) builder.addTag(tag.name, tag.description);
  const config = builder.build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDetailsDto],
    operationIdFactory: (_controller, method) => method,
  });
  document.info.license = { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' } as never;
  document.info.contact = { name: 'CRM API team', email: 'api@example.com' };
  return sortKeys(document) as OpenAPIObject;
}

/** Deterministic key order so the committed document diffs cleanly. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', customSiteTitle: 'CRM API' });
}
