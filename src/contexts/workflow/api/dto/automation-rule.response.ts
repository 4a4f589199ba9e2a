import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import type { AutomationExecution, AutomationRule } from '../../domain/automation-rule.entity.js';

export class AutomationRuleResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'finance.transaction.recorded' }) eventType: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) condition: object | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) action: object;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdBy: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class AutomationRulePage extends PageMetaDto {
  @ApiProperty({ type: [AutomationRuleResponse] }) items: AutomationRuleResponse[];
}

export const toAutomationRuleResponse = (r: AutomationRule): AutomationRuleResponse => ({
  id: r.id,
  name: r.name,
  eventType: r.eventType,
  condition: r.condition,
  action: r.action,
  enabled: r.enabled,
  createdBy: r.createdBy,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export class AutomationExecutionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ruleId: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty() eventType: string;
  @ApiProperty({ enum: ['executed', 'skipped', 'failed'], enumName: 'AutomationExecutionStatus' }) status: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) result: Record<string, unknown>;
  @ApiProperty() createdAt: string;
}

export class AutomationExecutionPage extends PageMetaDto {
  @ApiProperty({ type: [AutomationExecutionResponse] }) items: AutomationExecutionResponse[];
}

export const toAutomationExecutionResponse = (x: AutomationExecution): AutomationExecutionResponse => ({
  id: x.id,
  ruleId: x.ruleId,
  eventId: x.eventId,
  eventType: x.eventType,
  status: x.status,
  result: x.result,
  createdAt: x.createdAt.toISOString(),
});
