import { Injectable } from '@nestjs/common';
import { auditable } from '../../audit/audit-diff.js';
import { AuditLog } from '../../audit/audit-log.js';
import { Transactional, Tx } from '../../database/transaction.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { DomainError, NotFoundError, type FieldError } from '../../errors/domain-error.js';
import { mapPage, paginate, type Page } from '../../http/pagination.js';
import type { Actor, DataScope } from '../domain/actor.js';
import type { CreateRoleRequest, RoleListQuery, UpdateRoleRequest } from '../api/identity.request.js';
import { toRoleResponse, type RoleResponse } from '../api/identity.response.js';
import { DATA_SCOPES, SCOPE_KEY_PATTERN } from '../domain/permissions.rules.js';
import { assertGrantHeld } from '../domain/privilege-ceiling.js';
import { Role } from '../domain/role.entity.js';

const RECORD = 'identity.role';

/** Validates a `{ resource: scope }` map (keys `*`, `<ctx>.*`, `<ctx>.<resource>`; values own/team/subtree/all). */
function checkScopes(scopes: Record<string, unknown> | undefined): Record<string, DataScope> {
  const errors: FieldError[] = [];
  const entries = Object.entries(scopes ?? {});
  if (entries.length > 500) errors.push({ field: 'dataScopes', message: 'at most 500 entries' });
  for (const [key, value] of entries) {
    if (!SCOPE_KEY_PATTERN.test(key)) errors.push({ field: `dataScopes.${key}`, message: 'key must be *, <context>.* or <context>.<resource>' });
    if (!DATA_SCOPES.includes(value as DataScope)) errors.push({ field: `dataScopes.${key}`, message: `must be one of ${DATA_SCOPES.join(', ')}` });
  }
  if (errors.length) throw new DomainError('invalid', 'validation-failed', `The request has ${errors.length} invalid field(s)`, {}, errors);
  return (scopes ?? {}) as Record<string, DataScope>;
}

@Injectable()
export class RolesService {
  constructor(private readonly tx: Tx, private readonly audit: AuditLog) {}

  private get repo() {
    return this.tx.tx.getRepository(Role);
  }

  /** A role holds at most what its creator holds (422 `identity.role.not-held`, nothing written). */
  @Transactional()
  async create(actor: Actor, input: CreateRoleRequest): Promise<RoleResponse> {
    const dataScopes = checkScopes(input.dataScopes);
    assertGrantHeld(actor, { permissions: input.permissions, dataScopes });
    if (await this.repo.existsBy({ key: input.key })) {
      throw new DomainError('conflict', 'identity.role.key-taken', `A role with key ${input.key} already exists`);
    }
    const role = await this.repo.save(
      this.repo.create({
        key: input.key,
        name: input.name,
        description: input.description ?? null,
        permissions: [...new Set(input.permissions)],
        dataScopes,
        builtIn: false,
      }),
    );
    await this.audit.record({ actor: null, recordType: RECORD, recordId: role.id, action: 'create', after: auditable(toRoleResponse(role)) });
    return toRoleResponse(role);
  }

  /**
   * Changing what a role grants needs the caller to hold both what it grants now (no demoting
   * the holders of a stronger role) and what it will grant (422 `identity.role.not-held`).
   */
  @Transactional()
  async update(actor: Actor, key: string, expectedVersion: number | undefined, input: UpdateRoleRequest): Promise<RoleResponse> {
    const before = await this.find(key);
    if (before.builtIn) throw new DomainError('conflict', 'identity.role.built-in', 'Built-in roles are read-only; create a custom role instead');
    const changes: Partial<Role> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.description !== undefined) changes.description = input.description;
    if (input.permissions !== undefined) changes.permissions = [...new Set(input.permissions)];
    if (input.dataScopes !== undefined) changes.dataScopes = checkScopes(input.dataScopes);
    if (changes.permissions || changes.dataScopes) {
      assertGrantHeld(actor, before);
      assertGrantHeld(actor, { permissions: changes.permissions ?? before.permissions, dataScopes: changes.dataScopes ?? before.dataScopes });
    }
    const after = await updateVersioned(this.tx.tx, Role, RECORD, before.id, expectedVersion, changes);
    await this.audit.record({
      actor: null,
      recordType: RECORD,
      recordId: before.id,
      action: 'update',
      before: auditable(toRoleResponse(before)),
      after: auditable(toRoleResponse(after)),
    });
    return toRoleResponse(after);
  }

  async get(key: string): Promise<RoleResponse> {
    return toRoleResponse(await this.find(key));
  }

  async list(query: RoleListQuery): Promise<Page<RoleResponse>> {
    const page = await paginate(this.repo.createQueryBuilder('r'), query, { sortable: { key: 'key', createdAt: 'createdAt' }, defaultSort: 'key' });
    return mapPage(page, toRoleResponse);
  }

  private async find(key: string): Promise<Role> {
    const role = await this.repo.findOneBy({ key });
    if (!role) throw new NotFoundError(RECORD, key);
    return role;
  }
}
