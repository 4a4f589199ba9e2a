import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Tx } from '../database/transaction.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { mapPage, paginate, type Page } from '../http/pagination.js';
import { AuditEntry } from './audit-entry.entity.js';
import { AuditEntryQuery } from './audit.request.js';
import { AuditEntryPage, toAuditEntryResponse, type AuditEntryResponse } from './audit.response.js';

@ApiTags('audit')
@Controller('api/v1/audit/entries')
export class AuditController {
  constructor(private readonly tx: Tx) {}

  @Get()
  @Endpoint({
    operationId: 'audit_listEntries',
    summary: 'List audit entries',
    description: 'The change log, newest first; filter by record, actor and period.',
    permission: 'audit.entry:read',
  })
  @ApiOkResponse({ type: AuditEntryPage })
  async list(@Query() query: AuditEntryQuery): Promise<Page<AuditEntryResponse>> {
    const qb = this.tx.tx.getRepository(AuditEntry).createQueryBuilder('e');
    if (query.recordType) qb.andWhere('e.recordType = :recordType', { recordType: query.recordType });
    if (query.recordId) qb.andWhere('e.recordId = :recordId', { recordId: query.recordId });
    if (query.actorId) qb.andWhere('e.actorId = :actorId', { actorId: query.actorId });
    const from = query.from ?? query.updatedSince;
    if (from) qb.andWhere('e.at >= :from', { from: new Date(from) });
    if (query.to) qb.andWhere('e.at < :to', { to: new Date(query.to) });
    const page = await paginate(qb, { ...query, updatedSince: undefined }, { sortable: { at: 'at' }, defaultSort: '-at' });
    return mapPage(page, toAuditEntryResponse);
  }
}
