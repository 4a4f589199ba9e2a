import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import type { Advance } from '../../domain/advance.entity.js';
import { ADVANCE_STATUSES, type AdvanceStatus } from '../../domain/advance.rules.js';

export class AdvanceResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ADV-2026-000007' }) code: string;
  @ApiProperty({ format: 'uuid' }) costCentreId: string;
  @ApiProperty({ format: 'uuid', description: 'The employee' }) ownerId: string;
  @ApiProperty({ example: 500_000 }) amountMinor: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ example: 'On-site installation trip, Chengdu' }) purpose: string;
  @ApiProperty({ enum: ADVANCE_STATUSES, enumName: 'AdvanceStatus' }) status: AdvanceStatus;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) approvalId: string | null;
  @ApiProperty({ nullable: true, type: String }) submittedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionComment: string | null;
  @ApiProperty({ nullable: true, type: String }) paidAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) paidBy: string | null;
  @ApiProperty({ nullable: true, type: String }) paymentRef: string | null;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class AdvancePage extends PageMetaDto {
  @ApiProperty({ type: [AdvanceResponse] }) items: AdvanceResponse[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toAdvanceResponse = (a: Advance): AdvanceResponse => ({
  id: a.id, code: a.code, costCentreId: a.costCentreId, ownerId: a.ownerId, amountMinor: a.amountMinor, currency: a.currency, purpose: a.purpose,
  status: a.status, approvalId: a.approvalId, submittedAt: iso(a.submittedAt), decidedAt: iso(a.decidedAt), decidedBy: a.decidedBy,
  decisionComment: a.decisionComment, paidAt: iso(a.paidAt), paidBy: a.paidBy, paymentRef: a.paymentRef, version: a.version,
  createdAt: a.createdAt.toISOString(), updatedAt: a.updatedAt.toISOString(),
});
