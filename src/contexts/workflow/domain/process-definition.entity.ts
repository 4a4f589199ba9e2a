import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { Condition } from './condition.rules.js';
import type { StepDefinition } from './process-definition.rules.js';

/**
 * A process definition: stable id and key; `version` is both the optimistic-lock version and
 * the number of its latest {@link ProcessDefinitionVersion} (each PUT adds one).
 */
@Entity({ schema: 'workflow', name: 'process_definition' })
@Index('process_definition_created_idx', ['createdAt', 'id'])
@Index('process_definition_subject_idx', ['subjectType', 'createdAt', 'id'])
export class ProcessDefinition extends AggregateEntity {
  @Column({ type: 'text', unique: true }) key: string;
  @Column({ type: 'text' }) subjectType: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'boolean', default: true }) active: boolean;
}

/** One immutable version of a definition's content; instances reference `(definitionId, number)`. */
@Entity({ schema: 'workflow', name: 'process_definition_version' })
@Unique('process_definition_version_number_uq', ['definitionId', 'number'])
export class ProcessDefinitionVersion {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'uuid' }) definitionId: string;
  @Column({ type: 'integer' }) number: number;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'jsonb', nullable: true }) entryCriteria: Condition | null;
  @Column({ type: 'jsonb' }) steps: StepDefinition[];
  @Column({ type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
