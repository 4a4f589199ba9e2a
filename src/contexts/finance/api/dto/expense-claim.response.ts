import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import type { ClaimView } from '../../application/expense-claim.service.js';
import type { ExpenseClaimLine } from '../../domain/expense-claim.entity.js';
import { EXPENSE_CLAIM_KINDS, EXPENSE_CLAIM_STATUSES, type ExpenseClaimKind, type ExpenseClaimStatus } from '../../domain/expense-claim.rules.js';

export class ExpenseLineResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'travel' }) category: string;
  @ApiProperty({ example: '2026-03-01' }) date: string;
  @ApiProperty({ example: 12_000 }) amountMinor: number;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: String }) receiptRef: string | null;
}

export class ExpenseClaimResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'EXP-2026-000123' }) code: string;
  @ApiProperty({ enum: EXPENSE_CLAIM_KINDS, enumName: 'ExpenseClaimKind' }) kind: ExpenseClaimKind;
  @ApiProperty({ example: 'Customer visit Beijing' }) title: string;
  @ApiProperty({ format: 'uuid' }) costCentreId: string;
  @ApiProperty({ format: 'uuid', description: 'The claimant' }) ownerId: string;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ example: 12_000 }) totalMinor: number;
  @ApiProperty({ type: [ExpenseLineResponse] }) lines: ExpenseLineResponse[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) accountId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) campaignId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) productId: string | null;
  @ApiProperty({ nullable: true, type: String }) supplierRef: string | null;
  @ApiProperty({ enum: EXPENSE_CLAIM_STATUSES, enumName: 'ExpenseClaimStatus' }) status: ExpenseClaimStatus;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The Workflow approval' }) approvalId: string | null;
  @ApiProperty({ nullable: true, type: String }) submittedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionComment: string | null;
  @ApiProperty({ nullable: true, type: String }) postedAt: string | null;
  @ApiProperty({ example: 2 }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ExpenseClaimPage extends PageMetaDto {
  @ApiProperty({ type: [ExpenseClaimResponse] }) items: ExpenseClaimResponse[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toLine = (l: ExpenseClaimLine): ExpenseLineResponse => ({
  id: l.id, category: l.category, date: l.expenseDate, amountMinor: l.amountMinor, description: l.description, receiptRef: l.receiptRef,
});

export const toExpenseClaimResponse = ({ claim: c, lines }: ClaimView): ExpenseClaimResponse => ({
  id: c.id, code: c.code, kind: c.kind, title: c.title, costCentreId: c.costCentreId, ownerId: c.ownerId, currency: c.currency, totalMinor: c.totalMinor,
  lines: lines.map(toLine), accountId: c.accountId, campaignId: c.campaignId, productId: c.productId, supplierRef: c.supplierRef, status: c.status,
  approvalId: c.approvalId, submittedAt: iso(c.submittedAt), decidedAt: iso(c.decidedAt), decidedBy: c.decidedBy, decisionComment: c.decisionComment,
  postedAt: iso(c.postedAt), version: c.version, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
});
