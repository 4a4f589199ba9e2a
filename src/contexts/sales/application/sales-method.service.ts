import { Injectable } from '@nestjs/common';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { DomainError, NotFoundError } from '../../../platform/errors/domain-error.js';
import { paginate, type Page, type PageQuery } from '../../../platform/http/pagination.js';
import { hasPermission, type Actor } from '../../../platform/identity/domain/actor.js';
import { unknownReference } from '../../../platform/identity/application/references.js';
import { isUuid } from '../../../platform/database/ids.js';
import { SalesMethod, SalesMethodStage } from '../domain/sales-method.entity.js';
import { validateStages, type StageDefinition } from '../domain/sales-method.rules.js';
import type { MethodView } from '../domain/opportunity-stage.rules.js';

export interface SalesMethodInput {
  name: string;
  description?: string | null;
  strictOrder?: boolean;
  isDefault?: boolean;
  stages: StageDefinition[];
}

/** A sales method with its stages in order. */
export interface SalesMethodWithStages extends MethodView {
  method: SalesMethod;
  stages: Array<SalesMethodStage & { order: number }>;
}

/**
 * Making a method the org-wide default is administering the shared set-up: it needs this
 * permission on top of `sales.sales-method:create` (among the built-in roles only the admin holds it).
 */
export const SET_DEFAULT_PERMISSION = 'sales.sales-method:set-default';

/** Sales methods: the configurable selling processes and their ordered stages. */
@Injectable()
export class SalesMethodService {
  constructor(private readonly tx: Tx, private readonly audit: AuditLog) {}

  /**
   * Creates a method; the first one (or one marked `isDefault`) becomes the default.
   * `isDefault: true` needs {@link SET_DEFAULT_PERMISSION} (403, nothing written).
   */
  @Transactional()
  async create(actor: Actor, input: SalesMethodInput): Promise<SalesMethodWithStages> {
    if (input.isDefault === true && !hasPermission(actor, SET_DEFAULT_PERMISSION)) {
      throw new DomainError('forbidden', 'permission-denied', `Making a sales method the default needs the permission ${SET_DEFAULT_PERMISSION}`, { permission: SET_DEFAULT_PERMISSION });
    }
    const stages = validateStages(input.stages.map((s) => ({ ...s, terminal: s.terminal ?? null })));
    const em = this.tx.tx;
    const [{ n }]: Array<{ n: number }> = await em.query(`SELECT count(*)::int AS n FROM sales.sales_method`);
    const isDefault = input.isDefault === true || n === 0;
    if (isDefault) await em.query(`UPDATE sales.sales_method SET is_default = false, version = version + 1, updated_at = now() WHERE is_default`);
    const repo = em.getRepository(SalesMethod);
    const method = repo.create({ name: input.name, description: input.description ?? null, strictOrder: input.strictOrder ?? false, isDefault });
    await repo.insert(method);
    await em.getRepository(SalesMethodStage).insert(
      stages.map((s) => ({ salesMethodId: method.id, key: s.key, name: s.name, position: s.order, probability: s.probability, terminal: s.terminal })),
    );
    const created = await this.get(method.id);
    await this.audit.record({ actor, recordType: 'sales.sales-method', recordId: method.id, action: 'create', after: { ...input, isDefault } as never });
    return created;
  }

  async get(id: string): Promise<SalesMethodWithStages> {
    const method = await this.tx.tx.getRepository(SalesMethod).findOneBy({ id });
    if (!method) throw new NotFoundError('Sales method', id);
    return this.withStages(method);
  }

  /** The method named, else the default one; 422 when there is none. */
  async resolve(id?: string | null, field = 'salesMethodId'): Promise<SalesMethodWithStages> {
    if (id) {
      const method = isUuid(id) ? await this.tx.tx.getRepository(SalesMethod).findOneBy({ id }) : null;
      if (!method) throw unknownReference(field, 'sales.sales-method', id);
      return this.withStages(method);
    }
    const method = await this.tx.tx.getRepository(SalesMethod).findOneBy({ isDefault: true });
    if (!method) throw new DomainError('rule-violated', 'sales.sales-method.none', 'No sales method exists yet: create one first');
    return this.withStages(method);
  }

  async list(query: PageQuery): Promise<Page<SalesMethodWithStages>> {
    const qb = this.tx.tx.getRepository(SalesMethod).createQueryBuilder('m');
    const page = await paginate(qb, query, { sortable: { name: 'name', createdAt: 'createdAt' }, defaultSort: 'name' });
    const stages = page.items.length
      ? await this.tx.tx.getRepository(SalesMethodStage).find({ where: page.items.map((m) => ({ salesMethodId: m.id })), order: { position: 'ASC' } })
      : [];
    return {
      items: page.items.map((method) => ({ method, strictOrder: method.strictOrder, stages: stages.filter((s) => s.salesMethodId === method.id).map(asView) })),
      nextCursor: page.nextCursor,
    };
  }

  private async withStages(method: SalesMethod): Promise<SalesMethodWithStages> {
    const stages = await this.tx.tx.getRepository(SalesMethodStage).find({ where: { salesMethodId: method.id }, order: { position: 'ASC' } });
    return { method, strictOrder: method.strictOrder, stages: stages.map(asView) };
  }
}

/** A stage row doubles as the rules' StageView (`order` = position). */
const asView = (s: SalesMethodStage) => Object.assign(s, { order: s.position });
