import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { OrgDirectory } from '../../../platform/identity/application/org-directory.js';
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
  ) {}

  async assertUser(actor: Actor, id: string, field: string, options: { code?: string; active?: boolean; employee?: boolean } = {}): Promise<void> {
    const user = await this.directory.user(id);
    const usable = !!user && (!options.active || user.active) && (!options.employee || user.kind === 'employee');
    if (!usable || !(await this.references.seesUser(actor, user))) throw unknownReference(field, USER, id, options.code);
  }

  /** An org unit the caller may refer to (their `identity.org-unit` scope, as Identity registers it). */
  async assertOrgUnit(actor: Actor, id: string, field: string): Promise<void> {
    await this.references.assertVisible(actor, ORG_UNIT, id, field);
  }
}
