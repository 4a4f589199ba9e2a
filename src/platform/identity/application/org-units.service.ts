import { Injectable } from '@nestjs/common';
import { auditable } from '../../audit/audit-diff.js';
import { AuditLog } from '../../audit/audit-log.js';
import { Transactional, Tx } from '../../database/transaction.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { DomainError, NotFoundError } from '../../errors/domain-error.js';
import { mapPage, paginate, type Page } from '../../http/pagination.js';
import type { Actor } from '../domain/actor.js';
import type { CreateOrgUnitRequest, OrgUnitListQuery, UpdateOrgUnitRequest } from '../api/identity.request.js';
import { toOrgUnitResponse, type OrgUnitResponse } from '../api/identity.response.js';
import { OrgUnit } from '../domain/org-unit.entity.js';
import { canNest } from '../domain/permissions.rules.js';
import { assertNotOwnReach } from '../domain/privilege-ceiling.js';
import { References, unknownReference } from './references.js';

const RECORD = 'identity.org-unit';

/** The org tree. The closure table (`platform.org_unit_closure`) is kept in step on create and move. */
@Injectable()
export class OrgUnitsService {
  constructor(
    private readonly tx: Tx,
    private readonly audit: AuditLog,
    private readonly references: References,
  ) {}

  private get repo() {
    return this.tx.tx.getRepository(OrgUnit);
  }

  @Transactional()
  async create(actor: Actor, input: CreateOrgUnitRequest): Promise<OrgUnitResponse> {
    const parent = input.parentId ? await this.mustFind(actor, input.parentId, 'parentId') : null;
    if (parent && !canNest(parent.type, input.type)) {
      throw new DomainError('rule-violated', 'identity.org-unit.invalid-nesting', `A ${input.type} cannot sit below a ${parent.type}`);
    }
    if (input.headUserId) {
      if (input.headUserId === actor.userId) assertNotOwnReach(actor, 'headUserId');
      await this.mustSeeUser(actor, input.headUserId);
    }
    const unit = await this.repo.save(
      this.repo.create({ name: input.name, type: input.type, parentId: parent?.id ?? null, headUserId: input.headUserId ?? null }),
    );
    await this.tx.tx.query(
      `INSERT INTO platform.org_unit_closure (ancestor_id, descendant_id, depth)
       SELECT ancestor_id, $1::uuid, depth + 1 FROM platform.org_unit_closure WHERE descendant_id = $2::uuid
       UNION ALL SELECT $1::uuid, $1::uuid, 0`,
      [unit.id, parent?.id ?? null],
    );
    await this.audit.record({ actor: null, recordType: RECORD, recordId: unit.id, action: 'create', after: auditable(toOrgUnitResponse(unit)) });
    return toOrgUnitResponse(unit);
  }

  @Transactional()
  async update(actor: Actor, id: string, expectedVersion: number | undefined, input: UpdateOrgUnitRequest): Promise<OrgUnitResponse> {
    const before = await this.repo.findOneBy({ id });
    // A unit outside the caller's reach (their `identity.org-unit` scope) is changed by nobody below it: 404 like a missing one.
    if (!before || !(await this.references.visible(actor, RECORD, id))) throw new NotFoundError(RECORD, id);
    const changes: Partial<OrgUnit> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.headUserId !== undefined) {
      if (input.headUserId && input.headUserId !== before.headUserId) {
        if (input.headUserId === actor.userId) assertNotOwnReach(actor, 'headUserId');
        await this.mustSeeUser(actor, input.headUserId);
      }
      changes.headUserId = input.headUserId;
    }
    const moving = input.parentId !== undefined && input.parentId !== before.parentId;
    if (moving) {
      const parent = input.parentId ? await this.mustFind(actor, input.parentId, 'parentId') : null;
      if (parent) {
        const [cycle] = await this.tx.tx.query(`SELECT 1 FROM platform.org_unit_closure WHERE ancestor_id = $1 AND descendant_id = $2`, [id, parent.id]);
        if (cycle) throw new DomainError('rule-violated', 'identity.org-unit.cycle', 'A unit cannot move below itself or one of its descendants');
        if (!canNest(parent.type, before.type)) {
          throw new DomainError('rule-violated', 'identity.org-unit.invalid-nesting', `A ${before.type} cannot sit below a ${parent.type}`);
        }
      }
      changes.parentId = parent?.id ?? null;
    }
    const after = await updateVersioned(this.tx.tx, OrgUnit, RECORD, id, expectedVersion, changes);
    if (moving) await this.move(id, after.parentId);
    await this.audit.record({
      actor: null,
      recordType: RECORD,
      recordId: id,
      action: 'update',
      before: auditable(toOrgUnitResponse(before)),
      after: auditable(toOrgUnitResponse(after)),
    });
    return toOrgUnitResponse(after);
  }

  /** Re-hangs the subtree of `id` below `parentId` in the closure table. */
  private async move(id: string, parentId: string | null): Promise<void> {
    await this.tx.tx.query(
      `DELETE FROM platform.org_unit_closure
        WHERE descendant_id IN (SELECT descendant_id FROM platform.org_unit_closure WHERE ancestor_id = $1)
          AND ancestor_id NOT IN (SELECT descendant_id FROM platform.org_unit_closure WHERE ancestor_id = $1)`,
      [id],
    );
    if (parentId) {
      await this.tx.tx.query(
        `INSERT INTO platform.org_unit_closure (ancestor_id, descendant_id, depth)
         SELECT up.ancestor_id, down.descendant_id, up.depth + down.depth + 1
           FROM platform.org_unit_closure up, platform.org_unit_closure down
          WHERE up.descendant_id = $2::uuid AND down.ancestor_id = $1::uuid`,
        [id, parentId],
      );
    }
  }

  async get(id: string): Promise<OrgUnitResponse> {
    const unit = await this.repo.findOneBy({ id });
    if (!unit) throw new NotFoundError(RECORD, id);
    return toOrgUnitResponse(unit);
  }

  async list(query: OrgUnitListQuery): Promise<Page<OrgUnitResponse>> {
    const qb = this.repo.createQueryBuilder('o');
    if (query.parentId) qb.andWhere('o.parentId = :parentId', { parentId: query.parentId });
    if (query.type) qb.andWhere('o.type = :type', { type: query.type });
    if (query.q) qb.andWhere(`o.name ILIKE :q`, { q: `%${query.q.replace(/[\\%_]/g, '\\$&')}%` });
    if (query.subtreeOf) {
      qb.andWhere('o.id IN (SELECT c.descendant_id FROM platform.org_unit_closure c WHERE c.ancestor_id = :subtreeOf)', { subtreeOf: query.subtreeOf });
    }
    const page = await paginate(qb, query, { sortable: { name: 'name', createdAt: 'createdAt' }, defaultSort: 'name' });
    return mapPage(page, toOrgUnitResponse);
  }

  /** A unit the caller may refer to ({@link OrgUnitVisibility}); missing and out of reach answer alike. */
  private async mustFind(actor: Actor, id: string, field: string): Promise<OrgUnit> {
    await this.references.assertVisible(actor, RECORD, id, field, 'identity.org-unit.unknown');
    const unit = await this.repo.findOneBy({ id });
    if (!unit) throw unknownReference(field, RECORD, id, 'identity.org-unit.unknown');
    return unit;
  }

  /** The head of a unit must be a user the caller sees (`identity.user` scope); out of scope answers like unknown. */
  private async mustSeeUser(actor: Actor, id: string): Promise<void> {
    await this.references.assertVisible(actor, 'identity.user', id, 'headUserId', 'identity.user.unknown');
  }
}
