import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import type { Delegation } from '../../domain/delegation.entity.js';

export class DelegationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) fromUserId: string;
  @ApiProperty({ format: 'uuid' }) toUserId: string;
  @ApiProperty({ example: '2026-03-01T00:00:00.000Z' }) startsAt: string;
  @ApiProperty({ example: '2026-03-15T00:00:00.000Z' }) endsAt: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdBy: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
}

export class DelegationPage extends PageMetaDto {
  @ApiProperty({ type: [DelegationResponse] }) items: DelegationResponse[];
}

export const toDelegationResponse = (d: Delegation): DelegationResponse => ({
  id: d.id,
  fromUserId: d.fromUserId,
  toUserId: d.toUserId,
  startsAt: d.startsAt.toISOString(),
  endsAt: d.endsAt.toISOString(),
  reason: d.reason,
  createdBy: d.createdBy,
  version: d.version,
  createdAt: d.createdAt.toISOString(),
});
