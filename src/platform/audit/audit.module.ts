import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEntry } from './audit-entry.entity.js';
import { AuditLog } from './audit-log.js';
import { SqlAuditLog } from './audit-log.service.js';
import { AuditController } from './audit.controller.js';
import { OpenApiTags } from '../http/openapi-tags.js';

/** The change log: `AuditLog.record` from every write use case, `GET /api/v1/audit/entries`. */
@OpenApiTags({ name: 'audit', description: 'The change log of every write' })
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry])],
  controllers: [AuditController],
  providers: [{ provide: AuditLog, useClass: SqlAuditLog }],
  exports: [AuditLog],
})
export class AuditModule {}
