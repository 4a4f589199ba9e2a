import type { FastifyInstance } from 'fastify';

/**
 * Accepts `text/csv` request bodies (file uploads of scripts: `curl --data-binary @leads.csv
 * -H 'Content-Type: text/csv'`) and hands them to the route as `{ csv: <text> }`, so a route
 * validates one request class whether the file came raw or inside JSON. The body size limit
 * applies as for JSON (413). Routes that do not declare `csv` refuse it like any unknown field.
 */
export function acceptCsvBodies(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string' }, (_request, body, done) => {
    done(null, { csv: body as string });
  });
}
