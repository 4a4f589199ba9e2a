import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import type { ApprovalDetail } from '../../application/approval.service.js';
import type { ApprovalHistoryEntry, ApprovalInstance, ApprovalStep } from '../../domain/approval-instance.entity.js';
import { INSTANCE_STATUSES, STEP_STATUSES } from '../../domain/approval.rules.js';
import { TaskResponse, toTaskResponse } from './task.response.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export class ApprovalResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'finance.expense-claim' }) subjectType: string;
  @ApiProperty({ example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' }) subjectId: string;
  @ApiProperty({ example: 'EXP-2026-000123' }) subjectCode: string;
  @ApiProperty({ example: 'Trade fair travel' }) title: string;
  @ApiProperty({ format: 'uuid' }) requesterId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) requesterOrgUnitId: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 125000 }) amountMinor: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'EUR' }) currency: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { discountPct: 12 } }) attributes: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, example: 'quote-discount', description: 'null: no definition matched' }) definitionKey: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 1, description: 'The definition version this instance runs on' }) definitionVersion: number | null;
  @ApiProperty({ enum: INSTANCE_STATUSES, enumName: 'ApprovalStatus' }) status: string;
  @ApiProperty({ nullable: true, type: Number }) currentStepIndex: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionComment: string | null;
  @ApiProperty({ description: 'Decided without a person: no definition matched, or a timeout' }) automatic: boolean;
  @ApiProperty({ nullable: true, type: String }) completedAt: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ApprovalPage extends PageMetaDto {
  @ApiProperty({ type: [ApprovalResponse] }) items: ApprovalResponse[];
}

export class ApprovalStepResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() stepIndex: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['any', 'all'], enumName: 'StepMode' }) mode: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { type: 'manager' } }) approver: object;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) condition: object | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) timeout: object | null;
  @ApiProperty({ enum: STEP_STATUSES, enumName: 'ApprovalStepStatus' }) status: string;
  @ApiProperty({ nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) dueAt: string | null;
  @ApiProperty({ nullable: true, type: String }) completedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the rule found nobody (the admins got the step)' }) unresolvedReason: string | null;
}

export class ApprovalHistoryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() at: string;
  @ApiProperty({ example: 'task-assigned' }) action: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) actorId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) stepId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) taskId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail: Record<string, unknown>;
}

export class ApprovalDetailResponse extends ApprovalResponse {
  @ApiProperty({ type: [ApprovalStepResponse] }) steps: ApprovalStepResponse[];
  @ApiProperty({ type: [TaskResponse] }) tasks: TaskResponse[];
  @ApiProperty({ type: [ApprovalHistoryResponse] }) history: ApprovalHistoryResponse[];
}

export const toApprovalResponse = (i: ApprovalInstance): ApprovalResponse => ({
  id: i.id,
  subjectType: i.subjectType,
  subjectId: i.subjectId,
  subjectCode: i.subjectCode,
  title: i.title,
  requesterId: i.requesterId,
  requesterOrgUnitId: i.requesterOrgUnitId,
  amountMinor: i.amountMinor,
  currency: i.currency,
  attributes: i.attributes,
  definitionKey: i.definitionKey,
  definitionVersion: i.definitionVersion,
  status: i.status,
  currentStepIndex: i.currentStepIndex,
  decidedBy: i.decidedBy,
  decisionComment: i.decisionComment,
  automatic: i.automatic,
  completedAt: iso(i.completedAt),
  version: i.version,
  createdAt: i.createdAt.toISOString(),
  updatedAt: i.updatedAt.toISOString(),
});

const toStep = (s: ApprovalStep): ApprovalStepResponse => ({
  id: s.id,
  stepIndex: s.stepIndex,
  name: s.name,
  mode: s.mode,
  approver: s.approver,
  condition: s.condition,
  timeout: s.timeout,
  status: s.status,
  startedAt: iso(s.startedAt),
  dueAt: iso(s.dueAt),
  completedAt: iso(s.completedAt),
  unresolvedReason: s.unresolvedReason,
});

const toHistory = (h: ApprovalHistoryEntry): ApprovalHistoryResponse => ({
  id: h.id,
  at: h.at.toISOString(),
  action: h.action,
  actorId: h.actorId,
  stepId: h.stepId,
  taskId: h.taskId,
  detail: h.detail,
});

export const toApprovalDetailResponse = (d: ApprovalDetail): ApprovalDetailResponse => {
  const steps = new Map(d.steps.map((s) => [s.id, s]));
  return {
    ...toApprovalResponse(d.instance),
    steps: d.steps.map(toStep),
    tasks: d.tasks.map((task) => toTaskResponse({ task, instance: d.instance, step: task.stepId ? steps.get(task.stepId) ?? null : null })),
    history: d.history.map(toHistory),
  };
};
