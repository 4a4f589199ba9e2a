import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import { RecordView } from '../../../../platform/http/record-view.js';
import type { LeadAssignmentRule } from '../../domain/lead-assignment-rule.entity.js';
import { ASSIGNMENT_STRATEGIES } from '../../domain/lead-assignment.rules.js';
import type { LeadCaptureForm } from '../../domain/lead-capture-form.entity.js';
import { LEAD_SOURCES, Lead } from '../../domain/lead.entity.js';
import { LEAD_STATUSES } from '../../domain/lead-status.rules.js';
import { AssignmentCriteriaDto, AssignToDto } from './lead.request.js';
import { CUSTOM_FIELDS_SCHEMA } from './common.js';

export class LeadResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) company: string | null;
  @ApiProperty({ type: String, nullable: true }) firstName: string | null;
  @ApiProperty() lastName: string;
  @ApiProperty({ type: String, nullable: true }) title: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ enum: LEAD_SOURCES, enumName: 'LeadSource' }) source: string;
  @ApiProperty({ type: String, nullable: true }) industry: string | null;
  @ApiProperty({ type: String, nullable: true }) region: string | null;
  @ApiProperty({ type: String, nullable: true }) productInterest: string | null;
  @ApiProperty({ type: Number, nullable: true }) estimatedAmountMinor: number | null;
  @ApiProperty({ type: String, nullable: true }) currency: string | null;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ enum: LEAD_STATUSES, enumName: 'LeadStatus' }) status: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: in the lead pool' }) ownerId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) orgUnitId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) campaignId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assignmentRuleId: string | null;
  @ApiProperty({ type: String, nullable: true }) disqualifyReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastActivityAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) assignedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) convertedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) convertedAccountId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) convertedContactId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) convertedOpportunityId: string | null;
  @ApiProperty(CUSTOM_FIELDS_SCHEMA) customFields: Record<string, unknown>;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class LeadPage extends PageMetaDto {
  @ApiProperty({ type: [LeadResponse] }) items: LeadResponse[];
}

/** A lead as the API shows it: its own fields (see {@link RecordView}). */
export const LEAD_VIEW = new RecordView<Lead, LeadResponse>(Lead, {
  id: true,
  company: true,
  firstName: true,
  lastName: true,
  title: true,
  email: true,
  phone: true,
  source: true,
  industry: true,
  region: true,
  productInterest: true,
  estimatedAmountMinor: true,
  currency: true,
  description: true,
  status: true,
  ownerId: true,
  orgUnitId: true,
  campaignId: true,
  assignmentRuleId: true,
  disqualifyReason: true,
  lastActivityAt: true,
  assignedAt: true,
  convertedAt: true,
  convertedAccountId: true,
  convertedContactId: true,
  convertedOpportunityId: true,
  customFields: true,
  version: true,
  createdAt: true,
  updatedAt: true,
});

export const toLeadResponse = (l: Lead): LeadResponse => LEAD_VIEW.toResponse(l);

export class LeadConversionResponse {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) opportunityId: string | null;
  @ApiProperty({ type: LeadResponse }) lead: LeadResponse;
}

export class CapturedLeadResponse {
  @ApiProperty({ format: 'uuid', description: 'The lead created' }) id: string;
  @ApiProperty({ example: 'received' }) status: 'received';
}

export class AssignmentRuleResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() priority: number;
  @ApiProperty({ type: AssignmentCriteriaDto }) criteria: AssignmentCriteriaDto;
  @ApiProperty({ type: AssignToDto }) assignTo: AssignToDto;
  @ApiProperty({ enum: ASSIGNMENT_STRATEGIES, enumName: 'AssignmentStrategy' }) strategy: string;
  @ApiProperty() active: boolean;
  @ApiProperty({ description: 'Leads this rule has assigned so far' }) assignedCount: number;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class AssignmentRulePage extends PageMetaDto {
  @ApiProperty({ type: [AssignmentRuleResponse] }) items: AssignmentRuleResponse[];
}

export const toAssignmentRuleResponse = (r: LeadAssignmentRule): AssignmentRuleResponse => ({
  id: r.id,
  name: r.name,
  priority: r.priority,
  criteria: r.criteria,
  assignTo: r.assignToUserId ? { userId: r.assignToUserId } : { orgUnitId: r.assignToOrgUnitId! },
  strategy: r.strategy,
  active: r.active,
  assignedCount: r.assignedCount,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export class CaptureFormResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Public key for POST /api/v1/sales/lead-capture/{formKey}', example: 'q3Zk1vX0m2Wc8Yp4Rt6Uh9Lb' }) formKey: string;
  @ApiProperty() active: boolean;
  @ApiProperty() ratePerMinute: number;
  @ApiProperty({ type: String, nullable: true }) productInterest: string | null;
  @ApiProperty({ type: String, nullable: true }) region: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) campaignId: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CaptureFormPage extends PageMetaDto {
  @ApiProperty({ type: [CaptureFormResponse] }) items: CaptureFormResponse[];
}

export const toCaptureFormResponse = (f: LeadCaptureForm): CaptureFormResponse => ({
  id: f.id,
  name: f.name,
  formKey: f.formKey,
  active: f.active,
  ratePerMinute: f.ratePerMinute,
  productInterest: f.productInterest,
  region: f.region,
  campaignId: f.campaignId,
  version: f.version,
  createdAt: f.createdAt.toISOString(),
});
