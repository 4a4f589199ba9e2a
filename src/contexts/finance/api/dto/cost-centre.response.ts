import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import type { AutoOpenRule } from '../../domain/auto-open-rule.entity.js';
import type { CostCentre } from '../../domain/cost-centre.entity.js';
import { availableOf, COST_CENTRE_STATUSES, type CostCentreStatus } from '../../domain/cost-centre.rules.js';
import type { LedgerEntry } from '../../domain/ledger-entry.entity.js';
import { LEDGER_KINDS, LEDGER_SOURCES, type LedgerKind, type LedgerSource } from '../../domain/ledger.rules.js';

export class CostCentreResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'CC-2026-000001' }) code: string;
  @ApiProperty({ example: 'Project Apollo roll-out' }) name: string;
  @ApiProperty({ example: 'service.project' }) subjectType: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) subjectId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ownerId: string | null;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ example: 1_000_000 }) capMinor: number;
  @ApiProperty({ example: 800_000 }) warningLineMinor: number;
  @ApiProperty({ example: 250_000, description: 'Posted spending' }) spentMinor: number;
  @ApiProperty({ example: 50_000, description: 'Reserved by pending claims and unpaid advances' }) reservedMinor: number;
  @ApiProperty({ example: 700_000, description: 'cap − spent − reserved' }) availableMinor: number;
  @ApiProperty({ example: 0 }) incomeMinor: number;
  @ApiProperty({ enum: COST_CENTRE_STATUSES, enumName: 'CostCentreStatus' }) status: CostCentreStatus;
  @ApiProperty({ enum: ['manual', 'event'], enumName: 'CostCentreOpenedBy' }) openedBy: 'manual' | 'event';
  @ApiProperty({ example: 3 }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class CostCentrePage extends PageMetaDto {
  @ApiProperty({ type: [CostCentreResponse] }) items: CostCentreResponse[];
}

export const toCostCentreResponse = (c: CostCentre): CostCentreResponse => ({
  id: c.id, code: c.code, name: c.name, subjectType: c.subjectType, subjectId: c.subjectId, ownerId: c.ownerId, currency: c.currency,
  capMinor: c.capMinor, warningLineMinor: c.warningLineMinor, spentMinor: c.spentMinor, reservedMinor: c.reservedMinor, availableMinor: availableOf(c),
  incomeMinor: c.incomeMinor, status: c.status, openedBy: c.openedBy, version: c.version, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
});

export class LedgerEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) costCentreId: string;
  @ApiProperty({ enum: LEDGER_KINDS, enumName: 'LedgerKind' }) kind: LedgerKind;
  @ApiProperty({ enum: LEDGER_SOURCES, enumName: 'LedgerSource' }) sourceType: LedgerSource;
  @ApiProperty({ format: 'uuid' }) sourceId: string;
  @ApiProperty({ example: 'EXP-2026-000123', nullable: true, type: String }) sourceCode: string | null;
  @ApiProperty({ example: 'travel', nullable: true, type: String }) category: string | null;
  @ApiProperty({ example: '2026-03-01' }) occurredOn: string;
  @ApiProperty({ example: 12_000 }) amountMinor: number;
  @ApiProperty({ example: -12_000 }) reservedDeltaMinor: number;
  @ApiProperty({ example: 12_000 }) spentDeltaMinor: number;
  @ApiProperty({ example: 0 }) incomeDeltaMinor: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId: string | null;
  @ApiProperty() createdAt: string;
}

export class LedgerPage extends PageMetaDto {
  @ApiProperty({ type: [LedgerEntryResponse] }) items: LedgerEntryResponse[];
}

export const toLedgerEntryResponse = (l: LedgerEntry): LedgerEntryResponse => ({
  id: l.id, costCentreId: l.costCentreId, kind: l.kind, sourceType: l.sourceType, sourceId: l.sourceId, sourceCode: l.sourceCode, category: l.category,
  occurredOn: l.occurredOn, amountMinor: l.amountMinor, reservedDeltaMinor: l.reservedDeltaMinor, spentDeltaMinor: l.spentDeltaMinor,
  incomeDeltaMinor: l.incomeDeltaMinor, actorId: l.actorId, createdAt: l.createdAt.toISOString(),
});

export class AutoOpenRuleResponse {
  @ApiProperty({ example: 'sales.opportunity' }) subjectType: string;
  @ApiProperty({ example: true }) enabled: boolean;
  @ApiProperty({ example: 1_000_000 }) defaultCapMinor: number;
  @ApiProperty({ example: 80 }) warningLinePct: number;
  @ApiProperty({ example: 'CNY' }) defaultCurrency: string;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() updatedAt: string;
}

export class AutoOpenRuleList {
  @ApiProperty({ type: [AutoOpenRuleResponse] }) items: AutoOpenRuleResponse[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor: null;
}

export const toAutoOpenRuleResponse = (r: AutoOpenRule): AutoOpenRuleResponse => ({
  subjectType: r.subjectType, enabled: r.enabled, defaultCapMinor: r.defaultCapMinor, warningLinePct: r.warningLinePct,
  defaultCurrency: r.defaultCurrency.trim(), version: r.version, updatedAt: r.updatedAt.toISOString(),
});
