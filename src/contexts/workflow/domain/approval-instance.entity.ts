import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { InstanceStatus, StepStatus, TaskStatus } from './approval.rules.js';
import type { Condition } from './condition.rules.js';
import type { ApproverRule, StepMode, StepTimeout } from './process-definition.rules.js';

export const bigintToNumber = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null || v === undefined ? null : Number(v)),
};

/** One approval request of one subject: the subject snapshot, the definition version, the outcome. */
@Entity({ schema: 'workflow', name: 'approval_instance' })
@Check('approval_instance_status_chk', `status IN ('running', 'approved', 'rejected', 'recalled')`)
@Index('approval_instance_created_idx', ['createdAt', 'id'])
@Index('approval_instance_subject_idx', ['subjectType', 'subjectId', 'createdAt', 'id'])
@Index('approval_instance_requester_idx', ['requesterId', 'createdAt', 'id'])
@Index('approval_instance_status_idx', ['status', 'createdAt', 'id'])
@Index('approval_instance_one_running_idx', ['subjectType', 'subjectId'], { unique: true, where: `status = 'running'` })
export class ApprovalInstance extends AggregateEntity {
  @Column({ type: 'text' }) subjectType: string;
  @Column({ type: 'text' }) subjectId: string;
  @Column({ type: 'text' }) subjectCode: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'uuid' }) requesterId: string;
  /** Who submitted the request (the request event's actor) when not the requester; never an approver of it either. */
  @Column({ type: 'uuid', nullable: true }) submittedBy: string | null;
  @Column({ type: 'uuid', nullable: true }) requesterOrgUnitId: string | null;
  @Column({ type: 'bigint', nullable: true, transformer: bigintToNumber }) amountMinor: number | null;
  @Column({ type: 'char', length: 3, nullable: true }) currency: string | null;
  @Column({ type: 'jsonb' }) attributes: Record<string, string | number | boolean | null>;
  @Column({ type: 'uuid', nullable: true }) definitionId: string | null;
  @Column({ type: 'text', nullable: true }) definitionKey: string | null;
  @Column({ type: 'integer', nullable: true }) definitionVersion: number | null;
  @Column({ type: 'text' }) status: InstanceStatus;
  @Column({ type: 'integer', nullable: true }) currentStepIndex: number | null;
  @Column({ type: 'uuid', nullable: true }) decidedBy: string | null;
  @Column({ type: 'text', nullable: true }) decisionComment: string | null;
  @Column({ type: 'boolean', default: false }) automatic: boolean;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) completedAt: Date | null;
  @Column({ type: 'uuid', nullable: true, unique: true }) requestEventId: string | null;
}

/** A step of an instance, copied from the definition version when the instance started. */
@Entity({ schema: 'workflow', name: 'approval_step' })
@Unique('approval_step_index_uq', ['instanceId', 'stepIndex'])
export class ApprovalStep extends AggregateEntity {
  @Column({ type: 'uuid' }) instanceId: string;
  @Column({ type: 'integer' }) stepIndex: number;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) mode: StepMode;
  @Column({ type: 'jsonb' }) approver: ApproverRule;
  @Column({ type: 'jsonb', nullable: true }) condition: Condition | null;
  @Column({ type: 'jsonb', nullable: true }) timeout: StepTimeout | null;
  @Column({ type: 'text' }) status: StepStatus;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) startedAt: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) dueAt: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) completedAt: Date | null;
  @Column({ type: 'text', nullable: true }) unresolvedReason: string | null;
}

/**
 * A task in someone's inbox: an approval task (per approver per step) or an action task
 * created by an automation rule.
 */
@Entity({ schema: 'workflow', name: 'task' })
@Check('task_kind_chk', `kind IN ('approval', 'action')`)
@Index('task_assignee_idx', ['assigneeId', 'status', 'createdAt', 'id'])
@Index('task_status_idx', ['status', 'createdAt', 'id'])
@Index('task_created_idx', ['createdAt', 'id'])
@Index('task_instance_idx', ['instanceId', 'assigneeId'])
@Index('task_step_idx', ['stepId', 'status'])
export class WorkflowTask extends AggregateEntity {
  @Column({ type: 'text' }) kind: 'approval' | 'action';
  @Column({ type: 'uuid', nullable: true }) instanceId: string | null;
  @Column({ type: 'uuid', nullable: true }) stepId: string | null;
  @Column({ type: 'uuid' }) assigneeId: string;
  /** The approver the rule named, when a delegation window rerouted the task. */
  @Column({ type: 'uuid', nullable: true }) originalAssigneeId: string | null;
  @Column({ type: 'uuid', nullable: true }) delegatedFromTaskId: string | null;
  /** How the assignee was found (`manager`, `role:director@…`, `fallback:admin`, `delegated`, `escalation:manager`). */
  @Column({ type: 'text', nullable: true }) via: string | null;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text' }) status: TaskStatus;
  @Column({ type: 'uuid', nullable: true }) decidedBy: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) decidedAt: Date | null;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) dueAt: Date | null;
  @Column({ type: 'uuid', nullable: true }) ruleId: string | null;
  @Column({ type: 'uuid', nullable: true }) sourceEventId: string | null;
}

/** Append-only history of an instance. */
@Entity({ schema: 'workflow', name: 'approval_history' })
@Index('approval_history_instance_idx', ['instanceId', 'at', 'id'])
export class ApprovalHistoryEntry {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'uuid' }) instanceId: string;
  @Column({ type: 'uuid', nullable: true }) stepId: string | null;
  @Column({ type: 'uuid', nullable: true }) taskId: string | null;
  @Column({ type: 'timestamptz', precision: 3 }) at: Date;
  @Column({ type: 'uuid', nullable: true }) actorId: string | null;
  @Column({ type: 'text' }) action: string;
  @Column({ type: 'jsonb' }) detail: Record<string, unknown>;
}
