import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Tx } from '../../../platform/database/transaction.js';
import { DomainError } from '../../../platform/errors/domain-error.js';
import { hasPermission, type Actor } from '../../../platform/identity/domain/actor.js';
import { DataScopeService } from '../../../platform/identity/application/data-scope.js';
import { OrgDirectory } from '../../../platform/identity/application/org-directory.js';
import { RecordScopeRegistry, type RecordScopeTable } from '../../../platform/identity/application/record-scope.registry.js';
import { References, unknownReference } from '../../../platform/identity/application/references.js';
import { CostCentre } from '../domain/cost-centre.entity.js';

/** Where each Finance record type keeps its owner (the data-scope column), for reference checks and access explanations. */
const RECORD_TABLES: Record<string, RecordScopeTable> = {
  'finance.cost-centre': { table: 'finance.cost_centre', ownerColumn: 'owner_id' },
  'finance.expense-claim': { table: 'finance.expense_claim', ownerColumn: 'owner_id' },
  'finance.advance': { table: 'finance.advance', ownerColumn: 'owner_id' },
  'finance.income': { table: 'finance.income', ownerColumn: 'recorded_by' },
  'finance.settlement': { table: 'finance.settlement', ownerColumn: 'user_id' },
};

/** The record types a claim's or an income's optional links refer to (registered by their contexts; unregistered → every id unknown). */
export const LINKED_RECORD_TYPES = { accountId: 'sales.account', campaignId: 'marketing.campaign', productId: 'sales.product' } as const;
export type LinkField = keyof typeof LINKED_RECORD_TYPES;

export const UNKNOWN_COST_CENTRE = 'finance.cost-centre.unknown';
export const UNKNOWN_SUBJECT = 'finance.cost-centre.unknown-subject';

/**
 * Finance's data-scope checks of the ids a write refers to. A cost centre may be charged
 * (claims, advances, incomes, settlements) only when the caller sees it under their
 * `finance.cost-centre` scope; a missing and an invisible centre answer alike: 422
 * `finance.cost-centre.unknown` on `costCentreId`, with nothing about the record.
 */
@Injectable()
export class FinanceAccess implements OnModuleInit {
  constructor(
    private readonly tx: Tx,
    private readonly registry: RecordScopeRegistry,
    private readonly scopes: DataScopeService,
    private readonly references: References,
    private readonly directory: OrgDirectory,
  ) {}

  onModuleInit(): void {
    for (const [recordType, table] of Object.entries(RECORD_TABLES)) this.registry.register(recordType, table);
    // A reconciliation is the employee's: its id is the user id, its owner the user.
    this.registry.register('finance.reconciliation', (id) => this.registry.load('identity.user', id).then((user) => (user ? { ownerId: id, accountId: user.accountId } : null)));
  }

  /** Whether the caller (null: the system) sees a centre with this owner under `finance.cost-centre`. */
  async seesCentre(actor: Actor | null, centre: Pick<CostCentre, 'ownerId'>): Promise<boolean> {
    return !actor || this.scopes.canSee(actor, 'finance.cost-centre', { ownerId: centre.ownerId });
  }

  /**
   * The centre a claim, advance or income is charged to: it exists and the caller sees it (else
   * 422 `finance.cost-centre.unknown`, the same for both), is open, and holds the currency.
   */
  async chargeableCentre(actor: Actor | null, costCentreId: string, currency: string): Promise<CostCentre> {
    const centre = await this.visibleCentre(actor, costCentreId, 'costCentreId');
    if (centre.status === 'closed') throw new DomainError('rule-violated', 'finance.cost-centre.closed', `Cost centre ${centre.code} is closed`, { costCentreId });
    if (centre.currency !== currency) {
      throw new DomainError('rule-violated', 'finance.currency-mismatch', `The currency ${currency} differs from the cost centre's ${centre.currency}`, {
        costCentreId,
        costCentreCurrency: centre.currency,
      });
    }
    return centre;
  }

  /** A centre the caller sees, else 422 `finance.cost-centre.unknown` on `field`. */
  async visibleCentre(actor: Actor | null, costCentreId: string, field: string): Promise<CostCentre> {
    const centre = await this.tx.tx.getRepository(CostCentre).findOneBy({ id: costCentreId });
    if (!centre || !(await this.seesCentre(actor, centre))) throw unknownReference(field, 'finance.cost-centre', costCentreId, UNKNOWN_COST_CENTRE);
    return centre;
  }

  /** `accountId`, `campaignId`, `productId` of a claim or an income: each given id must be a record the caller sees. */
  async assertLinks(actor: Actor | null, links: Partial<Record<LinkField, string | null | undefined>>): Promise<void> {
    for (const field of Object.keys(LINKED_RECORD_TYPES) as LinkField[]) {
      const id = links[field];
      if (id) await this.references.assertVisible(actor, LINKED_RECORD_TYPES[field], id, field);
    }
  }

  /**
   * A cost centre's owner: an active user inside the caller's `finance.cost-centre` scope (no
   * planting centres on strangers). Missing, inactive and out of scope answer alike (422 on `ownerId`).
   */
  async assertOwner(actor: Actor | null, ownerId: string): Promise<void> {
    if (actor && ownerId === actor.userId) return;
    const user = await this.directory.user(ownerId);
    if (!user?.active || (actor && !(await this.scopes.canSee(actor, 'finance.cost-centre', { ownerId })))) throw unknownReference('ownerId', 'identity.user', ownerId);
  }

  /**
   * A centre's subject: the record `subjectId` names must be a `subjectType` record the caller
   * sees (`sales.opportunity` …, as its context registered it). A free kind such as `department`,
   * or a context that registers nothing yet, has no records: every id is unknown (422 on `subjectId`).
   */
  async assertSubject(actor: Actor | null, subjectType: string, subjectId: string): Promise<void> {
    await this.references.assertVisible(actor, subjectType, subjectId, 'subjectId', UNKNOWN_SUBJECT);
  }

  /**
   * Recalling is the claimant's: someone else who sees the record (a manager of the team) is
   * refused with 403 `<code>`, unless they hold `<resource>:recall-any` (admin; finance through `finance.*:*`).
   */
  assertMayRecall(actor: Actor, resource: 'finance.expense-claim' | 'finance.advance', ownerId: string, code: string): void {
    if (ownerId === actor.userId || hasPermission(actor, `${resource}:recall-any`)) return;
    throw new DomainError('forbidden', code, `Only the requester recalls it (or a holder of ${resource}:recall-any)`);
  }
}
