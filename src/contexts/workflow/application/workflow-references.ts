import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { OrgDirectory } from '../../../platform/identity/application/org-directory.js';
import { RecordScopeRegistry } from '../../../platform/identity/application/record-scope.registry.js';
import { References, unknownReference } from '../../../platform/identity/application/references.js';

const USER = 'identity.user';
const ORG_UNIT = 'identity.org-unit';

/**
 * The people and org units a Workflow write names (delegation deputies, approvers, simulated
 * requesters): each must exist, be usable for the purpose (active; an employee where tasks go to
 * them) and be visible to the caller (`identity.user` scope, through the platform's
 * {@link References}). Missing, unusable and out of scope get one answer: 422
 * {@link unknownReference} naming the field, with nothing about the user.
 */
@Injectable()
export class WorkflowReferences {
  constructor(
    private readonly references: References,
    private readonly directory: OrgDirectory,
    private readonly registry: RecordScopeRegistry,
  ) {}

  async assertUser(actor: Actor, id: string, field: string, options: { code?: string; active?: boolean; employee?: boolean } = {}): Promise<void> {
    const user = await this.directory.user(id);
    const usable = !!user && (!options.active || user.active) && (!options.employee || user.kind === 'employee');
    if (!usable || !(await this.references.visible(actor, USER, id))) throw unknownReference(field, USER, id, options.code);
  }

  /**
   * An org unit: visible under the caller's `identity.org-unit` scope once Identity registers that
   * record type; until then every employee reads the whole org tree, so it must exist.
   */
  async assertOrgUnit(actor: Actor, id: string, field: string): Promise<void> {
    const known = this.registry.has(ORG_UNIT) ? await this.references.visible(actor, ORG_UNIT, id) : !!(await this.directory.orgUnit(id));
    if (!known) throw unknownReference(field, ORG_UNIT, id);
  }
}
