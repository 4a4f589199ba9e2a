import { Injectable } from '@nestjs/common';
import { Tx } from '../../../platform/database/transaction.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { Opportunity } from '../domain/opportunity.entity.js';
import type { StageTerminal } from '../domain/sales-method.rules.js';
import { SalesAccess } from './sales-access.js';
import { SALES_SETTINGS, SalesSettings } from './sales-settings.js';
import { SalesMethodService } from './sales-method.service.js';

export interface PipelineFilter {
  salesMethodId?: string;
  currency?: string;
  ownerId?: string;
  orgUnitId?: string;
  closeFrom?: string;
  closeTo?: string;
}

export interface PipelineStage {
  stageKey: string;
  name: string;
  order: number;
  probability: number;
  terminal: StageTerminal | null;
  count: number;
  amountMinor: number;
  weightedAmountMinor: number;
}

export interface Pipeline {
  salesMethodId: string;
  currency: string;
  stages: PipelineStage[];
}

/**
 * The pipeline summary: per stage of one sales method, the count, amount and probability-weighted
 * amount of the caller's visible opportunities in one currency — one GROUP BY in SQL.
 */
@Injectable()
export class PipelineService {
  constructor(
    private readonly tx: Tx,
    private readonly access: SalesAccess,
    private readonly methods: SalesMethodService,
    private readonly settings: SalesSettings,
  ) {}

  async summary(actor: Actor, filter: PipelineFilter): Promise<Pipeline> {
    const method = await this.methods.resolve(filter.salesMethodId);
    const currency = filter.currency ?? (await this.settings.get<string>(SALES_SETTINGS.pipelineDefaultCurrency));
    const qb = this.tx.tx
      .getRepository(Opportunity)
      .createQueryBuilder('o')
      .select('o.stageKey', 'stage_key')
      .addSelect('o.amountMinor', 'amount_minor')
      .addSelect('o.probability', 'probability')
      .where('o.salesMethodId = :salesMethodId', { salesMethodId: method.method.id })
      .andWhere('o.currency = :currency', { currency });
    if (filter.ownerId) qb.andWhere('o.ownerId = :ownerId', { ownerId: filter.ownerId });
    if (filter.orgUnitId) qb.andWhere('o.orgUnitId = :orgUnitId', { orgUnitId: filter.orgUnitId });
    if (filter.closeFrom) qb.andWhere('o.closeDate >= :closeFrom', { closeFrom: filter.closeFrom });
    if (filter.closeTo) qb.andWhere('o.closeDate <= :closeTo', { closeTo: filter.closeTo });
    await this.access.narrow(qb, actor, 'opportunity');
    const [opportunities, params] = qb.getQueryAndParameters();
    const rows: Array<Omit<PipelineStage, 'amountMinor' | 'weightedAmountMinor'> & { amountMinor: string; weightedAmountMinor: string }> = await this.tx.tx.query(
      `WITH o AS (${opportunities})
       SELECT s.key AS "stageKey", s.name, s.position AS "order", s.probability, s.terminal,
              count(o.stage_key)::int AS count,
              coalesce(sum(o.amount_minor), 0)::bigint AS "amountMinor",
              coalesce(round(sum(o.amount_minor * o.probability / 100.0)), 0)::bigint AS "weightedAmountMinor"
         FROM sales.sales_method_stage s
         LEFT JOIN o ON o.stage_key = s.key
        WHERE s.sales_method_id = $${params.length + 1}
        GROUP BY s.key, s.name, s.position, s.probability, s.terminal
        ORDER BY s.position`,
      [...params, method.method.id],
    );
    return {
      salesMethodId: method.method.id,
      currency,
      stages: rows.map((r) => ({ ...r, amountMinor: Number(r.amountMinor), weightedAmountMinor: Number(r.weightedAmountMinor) })),
    };
  }
}
