import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import type { TaskView } from '../../application/task.service.js';
import { TASK_STATUSES } from '../../domain/approval.rules.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export class TaskResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['approval', 'action'], enumName: 'TaskKind' }) kind: string;
  @ApiProperty({ enum: TASK_STATUSES, enumName: 'TaskStatus' }) status: string;
  @ApiProperty({ example: 'Manager approval: EXP-2026-000123 Trade fair travel' }) title: string;
  @ApiProperty({ format: 'uuid' }) assigneeId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The approver the rule named, when a delegation rerouted the task' }) originalAssigneeId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) delegatedFromTaskId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'manager', description: 'How the assignee was found: `manager`, `role:<key>@<unit>`, `org-unit-head:<unit>`, `user`, `fallback:admin`, `escalation:manager`, `delegated`, …; `+up:N` when the rule named the requester/submitter and the task went N levels up their manager line; `;delegation:a>b` when rerouted by an out-of-office delegation' }) via: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) approvalId: string | null;
  @ApiProperty({ nullable: true, type: Number }) stepIndex: number | null;
  @ApiProperty({ nullable: true, type: String }) stepName: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'finance.expense-claim' }) subjectType: string | null;
  @ApiProperty({ nullable: true, type: String }) subjectId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'EXP-2026-000123' }) subjectCode: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Trade fair travel' }) subjectTitle: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 125000 }) amountMinor: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'EUR' }) currency: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) requesterId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the step times out' }) dueAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Action tasks: the automation rule' }) ruleId: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class TaskPage extends PageMetaDto {
  @ApiProperty({ type: [TaskResponse] }) items: TaskResponse[];
}

export const toTaskResponse = ({ task, instance, step }: TaskView): TaskResponse => ({
  id: task.id,
  kind: task.kind,
  status: task.status,
  title: task.title,
  assigneeId: task.assigneeId,
  originalAssigneeId: task.originalAssigneeId,
  delegatedFromTaskId: task.delegatedFromTaskId,
  via: task.via,
  approvalId: task.instanceId,
  stepIndex: step?.stepIndex ?? null,
  stepName: step?.name ?? null,
  subjectType: instance?.subjectType ?? null,
  subjectId: instance?.subjectId ?? null,
  subjectCode: instance?.subjectCode ?? null,
  subjectTitle: instance?.title ?? null,
  amountMinor: instance?.amountMinor ?? null,
  currency: instance?.currency ?? null,
  requesterId: instance?.requesterId ?? null,
  dueAt: iso(task.dueAt),
  decidedBy: task.decidedBy,
  decidedAt: iso(task.decidedAt),
  comment: task.comment,
  ruleId: task.ruleId,
  version: task.version,
  createdAt: task.createdAt.toISOString(),
  updatedAt: task.updatedAt.toISOString(),
});
