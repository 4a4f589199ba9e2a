import { Injectable } from '@nestjs/common';
import { newId } from '../../../platform/database/base.entity.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { updateVersioned } from '../../../platform/database/versioned-update.js';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { DomainError, NotFoundError } from '../../../platform/errors/domain-error.js';
import { type Page, type PageQuery, paginate } from '../../../platform/http/pagination.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { OrgDirectory } from '../../../platform/identity/application/org-directory.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import { applyDelegations, resolveApprovers } from '../domain/approver.rules.js';
import type { Condition } from '../domain/condition.rules.js';
import { planSteps, validateDefinitionContent, type StepDefinition } from '../domain/process-definition.rules.js';
import { ProcessDefinition, ProcessDefinitionVersion } from '../domain/process-definition.entity.js';
import { ApprovalEngine } from './approval-engine.service.js';
import { WorkflowReferences } from './workflow-references.js';

/** A step as a request gives it: condition and timeout may be omitted. */
export type StepInput = Omit<StepDefinition, 'condition' | 'timeout'> & { condition?: StepDefinition['condition']; timeout?: StepDefinition['timeout'] };

export interface DefinitionInput {
  key?: string;
  subjectType: string;
  name: string;
  active?: boolean;
  entryCriteria?: Condition | null;
  steps: StepInput[];
}

export interface DefinitionView {
  definition: ProcessDefinition;
  content: ProcessDefinitionVersion;
}

export interface SimulationInput {
  subjectType: string;
  requesterId: string;
  requesterOrgUnitId?: string | null;
  amountMinor?: number | null;
  currency?: string | null;
  attributes?: Record<string, string | number | boolean | null>;
}

export interface SimulatedApprover {
  userId: string;
  name: string | null;
  via: string;
  /** Set when a delegation window would reroute the task. */
  delegatedTo: string | null;
}

export interface Simulation {
  definition: { id: string; key: string; name: string; version: number } | null;
  outcome: 'auto-approved' | 'approval-required';
  steps: Array<{
    index: number;
    name: string;
    applies: boolean;
    mode: string;
    timeout: StepDefinition['timeout'];
    approvers: SimulatedApprover[];
    unresolvedReason: string | null;
  }>;
}

function invalid(errors: { field: string; message: string }[]): DomainError {
  return new DomainError('invalid', 'validation-failed', `The definition is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, {}, errors);
}

/** Normalises optional parts so every stored version has the same shape. */
function normaliseSteps(steps: StepInput[]): StepDefinition[] {
  return steps.map((s) => ({ name: s.name, condition: s.condition ?? null, approver: s.approver, mode: s.mode, timeout: s.timeout ?? null }));
}

/** Process definitions: create, new versions on PUT, reads, and the side-effect-free simulation. */
@Injectable()
export class ProcessDefinitionService {
  constructor(
    private readonly tx: Tx,
    private readonly audit: AuditLog,
    private readonly engine: ApprovalEngine,
    private readonly directory: OrgDirectory,
    private readonly clock: Clock,
    private readonly users: WorkflowReferences,
  ) {}

  @Transactional()
  async list(query: PageQuery & { subjectType?: string }): Promise<Page<ProcessDefinition>> {
    const qb = this.tx.tx.getRepository(ProcessDefinition).createQueryBuilder('d');
    if (query.subjectType) qb.andWhere('d.subjectType = :subjectType', { subjectType: query.subjectType });
    return paginate(qb, query, { sortable: { createdAt: 'createdAt' }, defaultSort: 'createdAt' });
  }

  /** The definition with the content of its latest version (or of `version`). */
  @Transactional()
  async get(id: string, version?: number): Promise<DefinitionView> {
    const definition = await this.tx.tx.getRepository(ProcessDefinition).findOneBy({ id });
    if (!definition) throw new NotFoundError('Process definition', id);
    const content = await this.tx.tx.getRepository(ProcessDefinitionVersion).findOneBy({ definitionId: id, number: version ?? definition.version });
    if (!content) throw new NotFoundError(`Version ${version} of process definition`, id);
    return { definition, content };
  }

  @Transactional()
  async create(actor: Actor, input: DefinitionInput): Promise<DefinitionView> {
    const errors = validateDefinitionContent(input);
    if (errors.length) throw invalid(errors);
    await this.assertApprovers(actor, input.steps);
    const repo = this.tx.tx.getRepository(ProcessDefinition);
    if (await repo.existsBy({ key: input.key! })) {
      throw new DomainError('conflict', 'workflow.process-definition.duplicate-key', `A process definition with key ${input.key} exists; PUT it to make a new version`);
    }
    const definition = repo.create({ id: newId(), key: input.key!, subjectType: input.subjectType, name: input.name, active: input.active ?? true });
    await repo.insert(definition);
    const content = await this.addVersion(actor, definition.id, 1, input);
    await this.audit.record({ actor, recordType: 'workflow.process-definition', recordId: definition.id, action: 'create', after: { key: definition.key, subjectType: definition.subjectType, name: definition.name, version: 1 } });
    return { definition: await repo.findOneByOrFail({ id: definition.id }), content };
  }

  /** PUT: a new version; instances already running keep the version they started on. */
  @Transactional()
  async update(actor: Actor, id: string, input: DefinitionInput, expectedVersion?: number): Promise<DefinitionView> {
    const errors = validateDefinitionContent(input);
    if (errors.length) throw invalid(errors);
    const before = await this.tx.tx.getRepository(ProcessDefinition).findOneBy({ id });
    if (!before) throw new NotFoundError('Process definition', id);
    await this.assertApprovers(actor, input.steps);
    if (input.key !== undefined && input.key !== before.key) {
      throw new DomainError('rule-violated', 'workflow.process-definition.key-immutable', 'The key of a process definition cannot change', {}, [{ field: 'key', message: 'cannot change' }]);
    }
    const definition = await updateVersioned(this.tx.tx, ProcessDefinition, 'Process definition', id, expectedVersion, {
      subjectType: input.subjectType,
      name: input.name,
      active: input.active ?? before.active,
    });
    const content = await this.addVersion(actor, id, definition.version, input);
    await this.audit.record({
      actor,
      recordType: 'workflow.process-definition',
      recordId: id,
      action: 'update',
      before: { version: before.version, name: before.name, subjectType: before.subjectType, active: before.active },
      after: { version: definition.version, name: definition.name, subjectType: definition.subjectType, active: definition.active },
    });
    return { definition, content };
  }

  /**
   * The users and org units the steps name as approvers (`steps[i].approver.userId` /
   * `.orgUnitId`) must exist and be visible to the caller, users active: else 422 naming the
   * field, missing and out of scope alike.
   */
  private async assertApprovers(actor: Actor, steps: StepInput[]): Promise<void> {
    for (const [i, { approver }] of steps.entries()) {
      if (approver.type === 'user') await this.users.assertUser(actor, approver.userId, `steps[${i}].approver.userId`, { active: true });
      if (approver.type === 'org-unit-head') await this.users.assertOrgUnit(actor, approver.orgUnitId, `steps[${i}].approver.orgUnitId`);
    }
  }

  private async addVersion(actor: Actor, definitionId: string, number: number, input: DefinitionInput): Promise<ProcessDefinitionVersion> {
    const repo = this.tx.tx.getRepository(ProcessDefinitionVersion);
    const version = repo.create({ id: newId(), definitionId, number, name: input.name, entryCriteria: input.entryCriteria ?? null, steps: normaliseSteps(input.steps), createdBy: actor.userId });
    await repo.insert(version);
    return version;
  }

  /** Which definition, steps and approvers a subject would get, creating nothing. */
  @Transactional()
  async simulate(actor: Actor, input: SimulationInput): Promise<Simulation> {
    // A simulation shows a requester's approvers (their managers): only for people the caller sees.
    await this.users.assertUser(actor, input.requesterId, 'requesterId');
    if (input.requesterOrgUnitId) await this.users.assertOrgUnit(actor, input.requesterOrgUnitId, 'requesterOrgUnitId');
    const subject = {
      subjectType: input.subjectType,
      subjectCode: '',
      title: '',
      requesterId: input.requesterId,
      requesterOrgUnitId: input.requesterOrgUnitId ?? null,
      amountMinor: input.amountMinor ?? null,
      currency: input.currency ?? null,
      attributes: input.attributes ?? {},
    };
    const chosen = await this.engine.chooseDefinition(subject);
    if (!chosen) return { definition: null, outcome: 'auto-approved', steps: [] };
    const delegations = await this.engine.activeDelegations();
    const now = this.clock.now();
    const steps: Simulation['steps'] = [];
    for (const { index, step, applies } of planSteps(chosen.version.steps, subject)) {
      let approvers: SimulatedApprover[] = [];
      let unresolvedReason: string | null = null;
      if (applies) {
        const resolution = await resolveApprovers(step.approver, subject, this.directory);
        unresolvedReason = resolution.unresolvedReason;
        const users = new Map((await this.directory.users(resolution.approvers.map((a) => a.userId))).map((u) => [u.id, u]));
        approvers = resolution.approvers.map((a) => {
          const routed = applyDelegations(a.userId, delegations, now);
          return { userId: a.userId, name: users.get(a.userId)?.name ?? null, via: a.via, delegatedTo: routed.assigneeId === a.userId ? null : routed.assigneeId };
        });
      }
      steps.push({ index, name: step.name, applies, mode: step.mode, timeout: step.timeout ?? null, approvers, unresolvedReason });
    }
    return {
      definition: { id: chosen.definition.id, key: chosen.definition.key, name: chosen.version.name, version: chosen.version.number },
      outcome: steps.some((s) => s.applies) ? 'approval-required' : 'auto-approved',
      steps,
    };
  }
}
