import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import { RecordView } from '../../../../platform/http/record-view.js';
import { Opportunity } from '../../domain/opportunity.entity.js';
import { ATTITUDES, CONTACT_ROLES, type Competitor, type OpportunityContactRole, type OpportunityStageChange } from '../../domain/opportunity-parts.entity.js';
import { OPPORTUNITY_STATUSES } from '../../domain/opportunity-stage.rules.js';
import type { SalesMethodWithStages } from '../../application/sales-method.service.js';
import type { Pipeline } from '../../application/pipeline.service.js';
import { CUSTOM_FIELDS_SCHEMA } from './common.js';

export class StageResponse {
  @ApiProperty({ example: 'propose' }) key: string;
  @ApiProperty({ example: 'Proposal' }) name: string;
  @ApiProperty({ example: 2 }) order: number;
  @ApiProperty({ example: 40 }) probability: number;
  @ApiProperty({ enum: ['won', 'lost'], enumName: 'StageTerminal', nullable: true }) terminal: string | null;
}

export class SalesMethodResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty() strictOrder: boolean;
  @ApiProperty() isDefault: boolean;
  @ApiProperty({ type: [StageResponse] }) stages: StageResponse[];
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class SalesMethodPage extends PageMetaDto {
  @ApiProperty({ type: [SalesMethodResponse] }) items: SalesMethodResponse[];
}

export const toSalesMethodResponse = ({ method, stages }: SalesMethodWithStages): SalesMethodResponse => ({
  id: method.id,
  name: method.name,
  description: method.description,
  strictOrder: method.strictOrder,
  isDefault: method.isDefault,
  stages: stages.map((s) => ({ key: s.key, name: s.name, order: s.position, probability: s.probability, terminal: s.terminal })),
  version: method.version,
  createdAt: method.createdAt.toISOString(),
  updatedAt: method.updatedAt.toISOString(),
});

export class OpportunityResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ example: 4_800_000 }) amountMinor: number;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ example: 40 }) probability: number;
  @ApiProperty({ example: '2026-12-31' }) closeDate: string;
  @ApiProperty({ format: 'uuid' }) salesMethodId: string;
  @ApiProperty({ example: 'propose' }) stageKey: string;
  @ApiProperty({ format: 'date-time' }) stageEnteredAt: string;
  @ApiProperty({ enum: OPPORTUNITY_STATUSES, enumName: 'OpportunityStatus' }) status: string;
  @ApiProperty({ format: 'uuid' }) ownerId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) orgUnitId: string | null;
  @ApiProperty({ type: String, nullable: true }) source: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) leadId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) campaignId: string | null;
  @ApiProperty({ type: String, nullable: true }) nextStep: string | null;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: String, nullable: true }) lossReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt: string | null;
  @ApiProperty(CUSTOM_FIELDS_SCHEMA) customFields: Record<string, unknown>;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class OpportunityPage extends PageMetaDto {
  @ApiProperty({ type: [OpportunityResponse] }) items: OpportunityResponse[];
}

/** An opportunity as the API shows it: its own fields (see {@link RecordView}). */
export const OPPORTUNITY_VIEW = new RecordView<Opportunity, OpportunityResponse>(Opportunity, {
  id: true,
  name: true,
  accountId: true,
  amountMinor: true,
  currency: true,
  probability: true,
  closeDate: true,
  salesMethodId: true,
  stageKey: true,
  stageEnteredAt: true,
  status: true,
  ownerId: true,
  orgUnitId: true,
  source: true,
  leadId: true,
  campaignId: true,
  nextStep: true,
  description: true,
  lossReason: true,
  closedAt: true,
  customFields: true,
  version: true,
  createdAt: true,
  updatedAt: true,
});

export const toOpportunityResponse = (o: Opportunity): OpportunityResponse => OPPORTUNITY_VIEW.toResponse(o);

export class StageChangeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, description: 'null for the opening entry' }) fromStageKey: string | null;
  @ApiProperty() toStageKey: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) changedBy: string | null;
  @ApiProperty({ example: 3.5, description: 'Days spent in fromStageKey' }) daysInStage: number;
}

export class StageHistoryResponse {
  @ApiProperty({ type: [StageChangeResponse] }) items: StageChangeResponse[];
}

export const toStageChangeResponse = (c: OpportunityStageChange): StageChangeResponse => ({
  id: c.id,
  fromStageKey: c.fromStageKey,
  toStageKey: c.toStageKey,
  changedAt: c.changedAt.toISOString(),
  changedBy: c.changedBy,
  daysInStage: c.daysInStage,
});

export class OpportunityCompetitorResponse {
  @ApiProperty({ format: 'uuid' }) competitorId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) strengths: string | null;
  @ApiProperty({ type: String, nullable: true }) weaknesses: string | null;
}

export class OpportunityCompetitorList {
  @ApiProperty({ type: [OpportunityCompetitorResponse] }) items: OpportunityCompetitorResponse[];
}

export const toOpportunityCompetitorResponse = (c: { competitorId: string; name: string; strengths: string | null; weaknesses: string | null }): OpportunityCompetitorResponse => ({
  competitorId: c.competitorId,
  name: c.name,
  strengths: c.strengths,
  weaknesses: c.weaknesses,
});

export class ContactRoleResponse {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ enum: CONTACT_ROLES, enumName: 'ContactRole' }) role: string;
  @ApiProperty({ enum: ATTITUDES, enumName: 'Attitude' }) attitude: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
}

export class ContactRoleList {
  @ApiProperty({ type: [ContactRoleResponse] }) items: ContactRoleResponse[];
}

export const toContactRoleResponse = (r: OpportunityContactRole): ContactRoleResponse => ({ contactId: r.contactId, role: r.role, attitude: r.attitude, note: r.note });

export class CompetitorResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) website: string | null;
  @ApiProperty({ type: String, nullable: true }) strengths: string | null;
  @ApiProperty({ type: String, nullable: true }) weaknesses: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CompetitorPage extends PageMetaDto {
  @ApiProperty({ type: [CompetitorResponse] }) items: CompetitorResponse[];
}

export const toCompetitorResponse = (c: Competitor): CompetitorResponse => ({
  id: c.id,
  name: c.name,
  website: c.website,
  strengths: c.strengths,
  weaknesses: c.weaknesses,
  version: c.version,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export class PipelineStageResponse {
  @ApiProperty({ example: 'propose' }) stageKey: string;
  @ApiProperty({ example: 'Proposal' }) name: string;
  @ApiProperty({ example: 2 }) order: number;
  @ApiProperty({ example: 40 }) probability: number;
  @ApiProperty({ enum: ['won', 'lost'], enumName: 'StageTerminal', nullable: true }) terminal: string | null;
  @ApiProperty({ example: 12 }) count: number;
  @ApiProperty({ example: 57_600_000 }) amountMinor: number;
  @ApiProperty({ example: 23_040_000, description: 'Σ amount × the opportunity’s probability' }) weightedAmountMinor: number;
}

export class PipelineResponse {
  @ApiProperty({ format: 'uuid' }) salesMethodId: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ type: [PipelineStageResponse] }) stages: PipelineStageResponse[];
}

export const toPipelineResponse = (p: Pipeline): PipelineResponse => p;
