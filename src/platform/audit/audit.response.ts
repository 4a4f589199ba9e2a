import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageMetaDto } from '../http/pagination.js';
import type { AuditEntry } from './audit-entry.entity.js';

export class AuditActorResponse {
  @ApiProperty({ enum: ['user', 'api-key'], enumName: 'AuditActorType' }) type: 'user' | 'api-key';
  @ApiProperty({ description: 'User id or API key id', example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' }) id: string;
  @ApiProperty({ description: 'The user behind the call (for a key: its creator)', example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' })
  userId: string;
}

export class AuditEntryResponse {
  @ApiProperty({ example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' }) id: string;
  @ApiProperty({ example: '2026-01-01T10:00:00.000Z' }) at: string;
  @ApiPropertyOptional({ type: AuditActorResponse, nullable: true, description: 'null: the system (jobs, event handlers without a caller)' })
  actor: AuditActorResponse | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '203.0.113.7' }) ip: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'req-42' }) requestId: string | null;
  @ApiProperty({ example: 'sales.account' }) recordType: string;
  @ApiProperty({ example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' }) recordId: string;
  @ApiProperty({ example: 'update', description: '`create`, `update`, `delete` or a transition verb' }) action: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', properties: { before: {}, after: {} } },
    example: { name: { before: 'Acme', after: 'Acme Ltd' } },
    description: 'Changed fields; secrets are never recorded',
  })
  changes: Record<string, { before?: unknown; after?: unknown }>;
}

export class AuditEntryPage extends PageMetaDto {
  @ApiProperty({ type: [AuditEntryResponse] }) items: AuditEntryResponse[];
}

export const toAuditEntryResponse = (e: AuditEntry): AuditEntryResponse => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: e.actorType && e.actorId ? { type: e.actorType, id: e.actorId, userId: e.actorUserId ?? e.actorId } : null,
  ip: e.ip,
  requestId: e.requestId,
  recordType: e.recordType,
  recordId: e.recordId,
  action: e.action,
  changes: e.changes,
});
