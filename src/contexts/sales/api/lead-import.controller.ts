import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { LeadImportService } from '../application/lead-import.service.js';
import { LEAD_IMPORT_FIELDS } from '../domain/lead-import.rules.js';
import { ImportLeadsQuery, ImportLeadsRequest } from './dto/lead-import.request.js';
import { LeadImportResponse } from './dto/lead-import.response.js';

@ApiTags('sales')
@Controller('api/v1/sales/leads/import')
export class LeadImportController {
  constructor(private readonly imports: LeadImportService) {}

  @Post()
  @HttpCode(200)
  @Endpoint({
    operationId: 'sales_importLeads',
    summary: 'Import leads from a CSV file (purchased lists)',
    description:
      `Send the file as JSON \`{ "csv": "…" }\` (documented below) or as the raw body with \`Content-Type: text/csv\` (e.g. \`curl --data-binary @leads.csv -H 'Content-Type: text/csv'\`). Columns (header row, case and spacing ignored): ${LEAD_IMPORT_FIELDS.join(', ')}, ` +
      'and `customFields.<key>`; common spellings such as "Company Name", "Surname", "E-mail" are understood, unknown columns → 400. ' +
      'Each row is checked like POST /leads, plus e-mail unique within the file; failures are listed per row and field. ' +
      '`?dryRun=true` only reports. Otherwise the valid rows become leads (source `import` unless a column says otherwise) in one transaction, ' +
      'assigned by the assignment rules (else owned by you), each publishing `sales.lead.created`. ' +
      'More data rows than the setting `leadImportMaxRows` (default 1000) → 422 `sales.lead-import.too-many-rows`; more than 200 columns → 400; a body over the size limit → 413. ' +
      'The answer lists the first 1,000 row errors and counts them all in `errorCount`.',
    permission: 'sales.lead:create',
    errors: [413, 422],
    idempotent: true,
  })
  @ApiOkResponse({ type: LeadImportResponse })
  async import(@CurrentActor() actor: Actor, @Body() body: ImportLeadsRequest, @Query() query: ImportLeadsQuery): Promise<LeadImportResponse> {
    return this.imports.import(actor, body.csv, query.dryRun ?? false);
  }
}
