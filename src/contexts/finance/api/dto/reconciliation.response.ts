import { ApiProperty } from '@nestjs/swagger';
import type { SpendReportRow } from '../../application/spend-report.service.js';
import type { ReconciliationView } from '../../application/reconciliation.service.js';
import type { Settlement } from '../../domain/settlement.entity.js';
import { SETTLEMENT_DIRECTIONS, type ReconciliationOutcome, type SettlementDirection, type StatementLineType } from '../../domain/reconciliation.rules.js';

export class StatementLineResponse {
  @ApiProperty({ enum: ['advance-paid', 'reimbursement-approved', 'settlement'], enumName: 'StatementLineType' }) type: StatementLineType;
  @ApiProperty({ enum: SETTLEMENT_DIRECTIONS, enumName: 'SettlementDirection', required: false }) direction?: SettlementDirection;
  @ApiProperty({ format: 'uuid', description: 'The advance, claim or settlement' }) sourceId: string;
  @ApiProperty({ example: 'ADV-2026-000007', nullable: true, type: String }) code: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) costCentreId: string | null;
  @ApiProperty({ example: '2026-03-01' }) date: string;
  @ApiProperty({ example: 'On-site installation trip' }) description: string;
  @ApiProperty({ example: 500_000 }) amountMinor: number;
  @ApiProperty({ example: 500_000, description: '+ the employee owes more, − the company owes more' }) effectMinor: number;
  @ApiProperty({ example: 500_000 }) balanceAfterMinor: number;
}

export class ReconciliationResponse {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) costCentreId: string | null;
  @ApiProperty({ example: 'CNY', nullable: true, type: String }) currency: string | null;
  @ApiProperty({ example: 500_000 }) advancesPaidMinor: number;
  @ApiProperty({ example: 320_000 }) reimbursementsApprovedMinor: number;
  @ApiProperty({ example: 0 }) returnedByEmployeeMinor: number;
  @ApiProperty({ example: 0 }) paidByCompanyMinor: number;
  @ApiProperty({ example: 180_000, description: 'Positive: the employee returns it; negative: the company pays it' }) balanceMinor: number;
  @ApiProperty({ enum: ['employee-returns', 'company-pays', 'settled'], enumName: 'ReconciliationOutcome' }) outcome: ReconciliationOutcome;
  @ApiProperty({ type: [StatementLineResponse] }) lines: StatementLineResponse[];
}

export const toReconciliationResponse = (r: ReconciliationView): ReconciliationResponse => ({ ...r, lines: r.lines.map((l) => ({ ...l })) });

export class SettlementResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) costCentreId: string | null;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ enum: SETTLEMENT_DIRECTIONS, enumName: 'SettlementDirection' }) direction: SettlementDirection;
  @ApiProperty({ example: 180_000 }) amountMinor: number;
  @ApiProperty({ example: '2026-03-31' }) settledOn: string;
  @ApiProperty({ nullable: true, type: String }) reference: string | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: ReconciliationResponse, description: 'The reconciliation after this settlement' }) reconciliation: ReconciliationResponse;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() createdAt: string;
}

export const toSettlementResponse = (s: Settlement, r: ReconciliationView): SettlementResponse => ({
  id: s.id, userId: s.userId, costCentreId: s.costCentreId, currency: s.currency, direction: s.direction, amountMinor: s.amountMinor, settledOn: s.settledOn,
  reference: s.reference, note: s.note, reconciliation: toReconciliationResponse(r), version: s.version, createdAt: s.createdAt.toISOString(),
});

export class SpendCellResponse {
  @ApiProperty({ example: '2026-03' }) month: string;
  @ApiProperty({ example: 'travel' }) category: string;
  @ApiProperty({ example: 120_000 }) spentMinor: number;
}

export class SpendReportRowResponse {
  @ApiProperty({ format: 'uuid' }) costCentreId: string;
  @ApiProperty({ example: 'CC-2026-000001' }) code: string;
  @ApiProperty({ example: 'Project Apollo roll-out' }) name: string;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ example: 1_000_000 }) capMinor: number;
  @ApiProperty({ example: 800_000 }) warningLineMinor: number;
  @ApiProperty({ example: 250_000 }) spentMinor: number;
  @ApiProperty({ example: 50_000 }) reservedMinor: number;
  @ApiProperty({ example: 700_000 }) availableMinor: number;
  @ApiProperty({ example: 120_000, description: 'Posted spending within the period' }) periodSpentMinor: number;
  @ApiProperty({ example: 12.0, description: 'periodSpent / cap, percent' }) utilisationPct: number;
  @ApiProperty({ type: [SpendCellResponse], description: 'Posted spending by month and category' }) cells: SpendCellResponse[];
}

export class SpendReportResponse {
  @ApiProperty({ type: [SpendReportRowResponse] }) items: SpendReportRowResponse[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor: null;
}

export const toSpendReportResponse = (rows: SpendReportRow[]): SpendReportResponse => ({ items: rows, nextCursor: null });
