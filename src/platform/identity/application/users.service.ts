import { Injectable } from '@nestjs/common';
import { auditable } from '../../audit/audit-diff.js';
import { AuditLog } from '../../audit/audit-log.js';
import { Transactional, Tx } from '../../database/transaction.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { DomainError, NotFoundError } from '../../errors/domain-error.js';
import { mapPage, paginate, type Page } from '../../http/pagination.js';
import { ActorLoader } from './actor-loader.js';
import { hasPermission, type Actor, type UserKind } from '../domain/actor.js';
import { ApiKeysService } from './api-keys.service.js';
import { DataScopeService } from './data-scope.js';
import type { CreateUserRequest, UpdateUserRequest, UserListQuery } from '../api/identity.request.js';
import { toUserResponse, type UserResponse } from '../api/identity.response.js';
import { hashPassword } from './password.js';
import { assertNotOutranked, assertNotOwnReach, assertRolesHeld } from '../domain/privilege-ceiling.js';
import { References as RecordReferences } from './references.js';
import { Role } from '../domain/role.entity.js';
import { User } from '../domain/user.entity.js';

const RECORD = 'identity.user';
const SCOPE = { owner: 'id', account: 'accountId' };
/** Changing ANOTHER user's password or email (admin only by default: held through `*:*`). */
export const MANAGE_CREDENTIALS = 'identity.user:manage-credentials';
/** Deactivating or reactivating another user. */
export const DEACTIVATE = 'identity.user:deactivate';
/** Where a user changes their own password (it asks for the current one). */
export const OWN_PASSWORD_ENDPOINT = 'POST /api/v1/auth/password';

const ruleViolated = (code: string, detail: string, field: string) => new DomainError('rule-violated', code, detail, {}, [{ field, message: detail }]);

const needs = (permission: string) =>
  new DomainError('forbidden', 'permission-denied', `This change needs the permission ${permission}`, { permission });

interface UserReferences {
  kind: UserKind;
  orgUnitId?: string | null;
  managerId?: string | null;
  accountId?: string | null;
  roles?: string[];
}

@Injectable()
export class UsersService {
  constructor(
    private readonly tx: Tx,
    private readonly audit: AuditLog,
    private readonly scopes: DataScopeService,
    private readonly references: RecordReferences,
    private readonly actors: ActorLoader,
    private readonly apiKeys: ApiKeysService,
  ) {}

  private get repo() {
    return this.tx.tx.getRepository(User);
  }

  @Transactional()
  async create(actor: Actor, input: CreateUserRequest): Promise<UserResponse> {
    const kind: UserKind = input.kind ?? 'employee';
    await this.checkEmailFree(input.email);
    const roles = [...new Set(input.roles)];
    await this.checkReferences(actor, { ...input, kind, roles });
    const user = await this.repo.save(
      this.repo.create({
        email: input.email.toLowerCase(),
        name: input.name,
        passwordHash: input.password ? await hashPassword(input.password) : null,
        kind,
        orgUnitId: input.orgUnitId ?? null,
        managerId: input.managerId ?? null,
        accountId: input.accountId ?? null,
        roles,
        active: true,
        sessionVersion: 1,
      }),
    );
    await this.audit.record({ actor: null, recordType: RECORD, recordId: user.id, action: 'create', after: auditable(toUserResponse(user)) });
    return toUserResponse(user);
  }

  /**
   * Changes a user. Beyond `identity.user:update`: another user's password or email needs
   * {@link MANAGE_CREDENTIALS}, their status {@link DEACTIVATE} (403 without); their roles,
   * credentials and status change only when they hold nothing the caller lacks (422
   * `identity.user.outranks-you`); a role given must be held by the caller (422
   * `identity.role.not-held`); nobody adds roles to themselves or sets their own password here.
   */
  @Transactional()
  async update(actor: Actor, id: string, expectedVersion: number | undefined, input: UpdateUserRequest): Promise<UserResponse> {
    const before = await this.findVisible(actor, id);
    const self = actor.userId === id;
    const emailChanges = input.email !== undefined && input.email.toLowerCase() !== before.email;
    const roles = input.roles === undefined ? undefined : [...new Set(input.roles)];
    const added = roles?.filter((r) => !before.roles.includes(r)) ?? [];
    const rolesChange = roles !== undefined && (added.length > 0 || before.roles.some((r) => !roles.includes(r)));
    if (input.active !== undefined && !hasPermission(actor, DEACTIVATE)) throw needs(DEACTIVATE);
    if (self) {
      if (input.password !== undefined) {
        throw ruleViolated('identity.user.own-password', `Change your own password with ${OWN_PASSWORD_ENDPOINT}, which asks for the current one`, 'password');
      }
      if (input.active === false) throw ruleViolated('identity.user.cannot-deactivate-self', 'You cannot deactivate yourself', 'active');
      if (added.length) throw ruleViolated('identity.role.self-grant', `You cannot add roles to yourself: ${added.join(', ')}`, 'roles');
      if (input.orgUnitId !== undefined && input.orgUnitId !== before.orgUnitId) assertNotOwnReach(actor, 'orgUnitId');
      if (input.managerId !== undefined && input.managerId !== before.managerId) assertNotOwnReach(actor, 'managerId');
    } else {
      if ((input.password !== undefined || emailChanges) && !hasPermission(actor, MANAGE_CREDENTIALS)) throw needs(MANAGE_CREDENTIALS);
      const sensitive = input.password !== undefined ? 'password' : emailChanges ? 'email' : input.active !== undefined ? 'active' : rolesChange ? 'roles' : null;
      if (sensitive) {
        const target = await this.actors.user(id);
        if (target) assertNotOutranked(actor, target, sensitive);
      }
    }
    const changes: Partial<User> = {};
    if (emailChanges) {
      await this.checkEmailFree(input.email!);
      changes.email = input.email!.toLowerCase();
    }
    if (input.name !== undefined) changes.name = input.name;
    if (input.orgUnitId !== undefined) changes.orgUnitId = input.orgUnitId;
    if (input.managerId !== undefined) {
      if (input.managerId === id) throw ruleViolated('identity.user.own-manager', 'A user cannot be their own manager', 'managerId');
      changes.managerId = input.managerId;
    }
    if (input.accountId !== undefined) changes.accountId = input.accountId;
    if (roles !== undefined) changes.roles = roles;
    // Only the ids that change are new references (an unchanged one the caller cannot see stays).
    await this.checkReferences(actor, {
      kind: before.kind,
      accountId: changes.accountId !== undefined ? changes.accountId : before.accountId,
      orgUnitId: changes.orgUnitId !== before.orgUnitId ? changes.orgUnitId : undefined,
      managerId: changes.managerId !== before.managerId ? changes.managerId : undefined,
      roles: added,
    }, changes.accountId !== undefined && changes.accountId !== before.accountId);
    let signOut = false;
    if (input.password !== undefined) {
      changes.passwordHash = await hashPassword(input.password);
      signOut = true;
    }
    if (input.active === false) {
      changes.active = false;
      signOut = true;
    } else if (input.active === true) {
      changes.active = true;
    }
    if (signOut) (changes as Record<string, unknown>).sessionVersion = () => 'session_version + 1';
    const after = await updateVersioned(this.tx.tx, User, RECORD, id, expectedVersion, changes);
    if (signOut) await this.revokeRefreshTokens(id);
    // A deactivated user's keys are revoked for good: reactivation does not bring them back.
    if (input.active === false) await this.apiKeys.revokeAllCreatedBy(id);
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

  /**
   * The ids a user refers to: the org unit must exist, the manager be a user the caller sees
   * (`identity.user` scope) and the account a `sales.account` the caller sees — missing and out
   * of scope answer alike (422, same code, field and message). Every role must exist and be
   * held by the caller ({@link assertRolesHeld}).
   */
  private async checkReferences(actor: Actor, input: UserReferences, checkAccount = true) {
    if (input.kind === 'partner' || input.kind === 'customer') {
      if (!input.accountId) throw ruleViolated('identity.user.account-required', `A ${input.kind} user must be bound to an account`, 'accountId');
    } else if (input.accountId) {
      throw ruleViolated('identity.user.account-not-allowed', `Only partner and customer users are bound to an account`, 'accountId');
    }
    if (input.orgUnitId) await this.references.assertVisible(actor, 'identity.org-unit', input.orgUnitId, 'orgUnitId', 'identity.org-unit.unknown');
    if (input.managerId) await this.references.assertVisible(actor, RECORD, input.managerId, 'managerId', 'identity.user.unknown');
    if (input.accountId && checkAccount) await this.references.assertVisible(actor, 'sales.account', input.accountId, 'accountId');
    if (input.roles?.length) {
      const known = await this.tx.tx
        .getRepository(Role)
        .createQueryBuilder('r')
        .select(['r.key', 'r.permissions', 'r.dataScopes'])
        .where('r.key IN (:...keys)', { keys: input.roles })
        .getMany();
      const missing = input.roles.filter((r) => !known.some((k) => k.key === r));
      if (missing.length) throw ruleViolated('identity.role.unknown', `Unknown roles: ${missing.join(', ')}`, 'roles');
      assertRolesHeld(actor, known);
    }
  }
}
