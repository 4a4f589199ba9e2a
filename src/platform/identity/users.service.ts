import { Injectable } from '@nestjs/common';
import { auditable } from '../audit/audit-diff.js';
import { AuditLog } from '../audit/audit-log.js';
import { Transactional, Tx } from '../database/transaction.js';
import { updateVersioned } from '../database/versioned-update.js';
import { DomainError, NotFoundError } from '../errors/domain-error.js';
import { mapPage, paginate, type Page } from '../http/pagination.js';
import type { Actor, UserKind } from './actor.js';
import { DataScopeService } from './data-scope.js';
import type { CreateUserRequest, UpdateUserRequest, UserListQuery } from './identity.request.js';
import { toUserResponse, type UserResponse } from './identity.response.js';
import { OrgUnit } from './org-unit.entity.js';
import { hashPassword } from './password.js';
import { Role } from './role.entity.js';
import { User } from './user.entity.js';

const RECORD = 'identity.user';
const SCOPE = { owner: 'id', account: 'accountId' };

const ruleViolated = (code: string, detail: string, field: string) => new DomainError('rule-violated', code, detail, {}, [{ field, message: detail }]);

@Injectable()
export class UsersService {
  constructor(
    private readonly tx: Tx,
    private readonly audit: AuditLog,
    private readonly scopes: DataScopeService,
  ) {}

  private get repo() {
    return this.tx.tx.getRepository(User);
  }

  @Transactional()
  async create(input: CreateUserRequest): Promise<UserResponse> {
    const kind: UserKind = input.kind ?? 'employee';
    await this.checkEmailFree(input.email);
    await this.checkReferences({ ...input, kind });
    const user = await this.repo.save(
      this.repo.create({
        email: input.email.toLowerCase(),
        name: input.name,
        passwordHash: input.password ? await hashPassword(input.password) : null,
        kind,
        orgUnitId: input.orgUnitId ?? null,
        managerId: input.managerId ?? null,
        accountId: input.accountId ?? null,
        roles: [...new Set(input.roles)],
        active: true,
        sessionVersion: 1,
      }),
    );
    await this.audit.record({ actor: null, recordType: RECORD, recordId: user.id, action: 'create', after: auditable(toUserResponse(user)) });
    return toUserResponse(user);
  }

  @Transactional()
  async update(actor: Actor, id: string, expectedVersion: number | undefined, input: UpdateUserRequest): Promise<UserResponse> {
    const before = await this.findVisible(actor, id);
    const changes: Partial<User> = {};
    if (input.email !== undefined && input.email.toLowerCase() !== before.email) {
      await this.checkEmailFree(input.email);
      changes.email = input.email.toLowerCase();
    }
    if (input.name !== undefined) changes.name = input.name;
    if (input.orgUnitId !== undefined) changes.orgUnitId = input.orgUnitId;
    if (input.managerId !== undefined) {
      if (input.managerId === id) throw ruleViolated('identity.user.own-manager', 'A user cannot be their own manager', 'managerId');
      changes.managerId = input.managerId;
    }
    if (input.accountId !== undefined) changes.accountId = input.accountId;
    if (input.roles !== undefined) changes.roles = [...new Set(input.roles)];
    await this.checkReferences({ kind: before.kind, accountId: before.accountId, ...changes });
    let signOut = false;
    if (input.password !== undefined) {
      changes.passwordHash = await hashPassword(input.password);
      signOut = true;
    }
    if (input.active === false) {
      if (actor.userId === id) throw ruleViolated('identity.user.cannot-deactivate-self', 'You cannot deactivate yourself', 'active');
      changes.active = false;
      signOut = true;
    } else if (input.active === true) {
      changes.active = true;
    }
    if (signOut) (changes as Record<string, unknown>).sessionVersion = () => 'session_version + 1';
    const after = await updateVersioned(this.tx.tx, User, RECORD, id, expectedVersion, changes);
    if (signOut) await this.revokeRefreshTokens(id);
    await this.audit.record({
      actor: null,
      recordType: RECORD,
      recordId: id,
      action: input.active === false ? 'deactivate' : input.active === true && !before.active ? 'reactivate' : 'update',
      before: auditable(toUserResponse(before)),
      after: auditable(toUserResponse(after)),
    });
    return toUserResponse(after);
  }

  /** Deactivates at once: the session version moves on (access tokens die) and refresh tokens are revoked. */
  @Transactional()
  async deactivate(actor: Actor, id: string, expectedVersion: number | undefined): Promise<UserResponse> {
    return this.update(actor, id, expectedVersion, { active: false });
  }

  async get(actor: Actor, id: string): Promise<UserResponse> {
    return toUserResponse(await this.findVisible(actor, id));
  }

  async list(actor: Actor, query: UserListQuery): Promise<Page<UserResponse>> {
    const qb = this.repo.createQueryBuilder('u');
    await this.scopes.apply(qb, actor, RECORD, SCOPE);
    if (query.orgUnitId) qb.andWhere('u.orgUnitId = :orgUnitId', { orgUnitId: query.orgUnitId });
    if (query.role) qb.andWhere('u.roles @> ARRAY[:role]::text[]', { role: query.role });
    if (query.kind) qb.andWhere('u.kind = :kind', { kind: query.kind });
    if (query.active !== undefined) qb.andWhere('u.active = :active', { active: query.active });
    if (query.q) qb.andWhere('(u.name ILIKE :q OR u.email ILIKE :q)', { q: `%${query.q.replace(/[\\%_]/g, '\\$&')}%` });
    const page = await paginate(qb, query, { sortable: { name: 'name', createdAt: 'createdAt' }, defaultSort: 'name' });
    return mapPage(page, toUserResponse);
  }

  private async findVisible(actor: Actor, id: string): Promise<User> {
    const user = await this.repo.findOneBy({ id });
    if (!user || !(await this.scopes.canSee(actor, RECORD, { ownerId: user.id, accountId: user.accountId }))) throw new NotFoundError(RECORD, id);
    return user;
  }

  private async revokeRefreshTokens(userId: string): Promise<void> {
    await this.tx.tx.query(`UPDATE platform.refresh_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
  }

  private async checkEmailFree(email: string): Promise<void> {
    const [taken] = await this.tx.tx.query(`SELECT 1 FROM platform.app_user WHERE lower(email) = lower($1)`, [email]);
    if (taken) throw new DomainError('conflict', 'identity.user.email-taken', `A user with email ${email} already exists`);
  }

  private async checkReferences(input: { kind: UserKind; orgUnitId?: string | null; managerId?: string | null; accountId?: string | null; roles?: string[] }) {
    if (input.kind === 'partner' || input.kind === 'customer') {
      if (!input.accountId) throw ruleViolated('identity.user.account-required', `A ${input.kind} user must be bound to an account`, 'accountId');
    } else if (input.accountId) {
      throw ruleViolated('identity.user.account-not-allowed', `Only partner and customer users are bound to an account`, 'accountId');
    }
    if (input.orgUnitId && !(await this.tx.tx.getRepository(OrgUnit).existsBy({ id: input.orgUnitId }))) {
      throw ruleViolated('identity.org-unit.unknown', `Org unit ${input.orgUnitId} does not exist`, 'orgUnitId');
    }
    if (input.managerId && !(await this.repo.existsBy({ id: input.managerId }))) {
      throw ruleViolated('identity.user.unknown', `User ${input.managerId} does not exist`, 'managerId');
    }
    if (input.roles?.length) {
      const known = await this.tx.tx.getRepository(Role).createQueryBuilder('r').select('r.key', 'key').where('r.key IN (:...keys)', { keys: input.roles }).getRawMany<{ key: string }>();
      const missing = input.roles.filter((r) => !known.some((k) => k.key === r));
      if (missing.length) throw ruleViolated('identity.role.unknown', `Unknown roles: ${missing.join(', ')}`, 'roles');
    }
  }
}
