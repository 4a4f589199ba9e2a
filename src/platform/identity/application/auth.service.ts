import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { auditable } from '../../audit/audit-diff.js';
import { AuditLog } from '../../audit/audit-log.js';
import { Transactional, Tx } from '../../database/transaction.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { DomainError } from '../../errors/domain-error.js';
import { ACCESS_TOKEN_TTL_SECONDS, AccessTokens } from './access-tokens.js';
import { ActorLoader } from './actor-loader.js';
import type { Actor } from '../domain/actor.js';
import type { MeResponse, TokenPairResponse } from '../api/auth.response.js';
import { toUserResponse } from '../api/identity.response.js';
import { ACCOUNT_POLICY, IP_POLICY, LoginThrottle } from './login-throttle.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';
import { randomToken, sha256 } from './secrets.js';
import { User } from '../domain/user.entity.js';

export const REFRESH_TOKEN_TTL_DAYS = 30;

const invalidCredentials = () => new DomainError('unauthenticated', 'invalid-credentials', 'Email or password is wrong');
const invalidRefresh = () => new DomainError('unauthenticated', 'invalid-refresh-token', 'The refresh token is unknown, expired or revoked; sign in again');

type Rotation = { ok: true; pair: TokenPairResponse } | { ok: false; reused: boolean };

/**
 * Sign-in, refresh-token rotation and sign-out. Refresh tokens are opaque, stored as SHA-256,
 * single use: each refresh spends the presented token and issues a new one in the same family;
 * presenting a spent token revokes the whole family (someone else holds a copy).
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly tx: Tx,
    private readonly tokens: AccessTokens,
    private readonly throttle: LoginThrottle,
    private readonly actors: ActorLoader,
    private readonly audit: AuditLog,
  ) {}

  /** Not one transaction on purpose: a failed attempt's counter must commit although the answer is 401. */
  async login(email: string, password: string, ip: string): Promise<TokenPairResponse> {
    const accountKey = `account:${email.toLowerCase()}`;
    const ipKey = `ip:${ip}`;
    const retryAfterSeconds = await this.throttle.retryAfterSeconds([accountKey, ipKey]);
    if (retryAfterSeconds > 0) {
      throw new DomainError('rate-limited', 'too-many-login-attempts', `Too many failed sign-ins; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
    const user = await this.tx.tx
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
    const { ok, needsRehash } = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !user.passwordHash || !ok || !user.active) {
      await this.throttle.recordFailure(accountKey, ACCOUNT_POLICY);
      await this.throttle.recordFailure(ipKey, IP_POLICY);
      throw invalidCredentials();
    }
    await this.throttle.reset(accountKey);
    if (needsRehash) {
      await this.tx.tx.query(`UPDATE platform.app_user SET password_hash = $2 WHERE id = $1`, [user.id, await hashPassword(password)]);
    }
    return this.issue(user, uuidv7());
  }

  async refresh(refreshToken: string): Promise<TokenPairResponse> {
    const result = await this.rotate(refreshToken);
    if (!result.ok) {
      throw result.reused
        ? new DomainError('unauthenticated', 'refresh-token-reused', 'This refresh token was already used; every session of its family is revoked')
        : invalidRefresh();
    }
    return result.pair;
  }

  /** Commits before the caller answers 401, so a detected reuse really revokes the family. */
  @Transactional()
  private async rotate(refreshToken: string): Promise<Rotation> {
    const hash = sha256(refreshToken);
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [[spent]]: [{ user_id: string; family_id: string }[], number] = await this.tx.tx.query(
      `UPDATE platform.refresh_token SET spent_at = now()
        WHERE token_hash = $1 AND spent_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        RETURNING user_id, family_id`,
      [hash],
    );
    if (!spent) {
      const [known]: { family_id: string; spent_at: Date | null }[] = await this.tx.tx.query(
        `SELECT family_id, spent_at FROM platform.refresh_token WHERE token_hash = $1`,
        [hash],
      );
      if (known?.spent_at) {
        await this.revokeFamily(known.family_id);
        return { ok: false, reused: true };
      }
      return { ok: false, reused: false };
    }
    const user = await this.tx.tx.getRepository(User).findOneBy({ id: spent.user_id });
    if (!user || !user.active) {
      await this.revokeFamily(spent.family_id);
      return { ok: false, reused: false };
    }
    return { ok: true, pair: await this.issue(user, spent.family_id) };
  }

  @Transactional()
  async logout(refreshToken: string): Promise<void> {
    const [row]: { family_id: string }[] = await this.tx.tx.query(`SELECT family_id FROM platform.refresh_token WHERE token_hash = $1`, [
      sha256(refreshToken),
    ]);
    if (row) await this.revokeFamily(row.family_id);
  }

  /**
   * The caller changes their own password, proving the current one. Wrong current passwords
   * are counted like failed sign-ins (per user: 5 in 15 minutes block for 15 minutes → 429),
   * and that counter commits although the answer is 422 (so no transaction around it). Success
   * signs out every other session (session version moves on, refresh tokens revoked) and
   * answers a fresh token pair, so the caller stays signed in.
   */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<TokenPairResponse> {
    if (actor.type !== 'user') {
      throw new DomainError('forbidden', 'identity.password.user-only', 'Only a signed-in user changes their password, not an API key');
    }
    const key = `password:${actor.userId}`;
    const retryAfterSeconds = await this.throttle.retryAfterSeconds([key]);
    if (retryAfterSeconds > 0) {
      throw new DomainError('rate-limited', 'too-many-password-attempts', `Too many wrong current passwords; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
    const user = await this.tx.tx.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id: actor.userId }).getOne();
    const { ok } = await verifyPassword(currentPassword, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !user.passwordHash || !ok) {
      await this.throttle.recordFailure(key, ACCOUNT_POLICY);
      throw new DomainError('rule-violated', 'identity.password.current-wrong', 'The current password is wrong', {}, [
        { field: 'currentPassword', message: 'is not your current password' },
      ]);
    }
    await this.throttle.reset(key);
    return this.setOwnPassword(user, newPassword);
  }

  @Transactional()
  private async setOwnPassword(before: User, newPassword: string): Promise<TokenPairResponse> {
    const changes: Partial<User> = { passwordHash: await hashPassword(newPassword) };
    (changes as Record<string, unknown>).sessionVersion = () => 'session_version + 1';
    const after = await updateVersioned(this.tx.tx, User, 'identity.user', before.id, undefined, changes);
    await this.tx.tx.query(`UPDATE platform.refresh_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [before.id]);
    await this.audit.record({
      actor: null,
      recordType: 'identity.user',
      recordId: before.id,
      action: 'change-password',
      before: auditable(toUserResponse(before)),
      after: auditable(toUserResponse(after)),
    });
    return this.issue(after, uuidv7());
  }

  async me(actor: Actor): Promise<MeResponse> {
    const user = await this.tx.tx.getRepository(User).findOneByOrFail({ id: actor.userId });
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      kind: user.kind,
      orgUnitId: user.orgUnitId,
      accountId: user.accountId,
      roles: actor.type === 'user' ? user.roles : [],
      permissions: [...actor.permissions].sort(),
      dataScopes: { ...actor.dataScopes },
      actorType: actor.type,
    };
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.tx.tx.query(`UPDATE platform.refresh_token SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [familyId]);
  }

  private async issue(user: User, familyId: string): Promise<TokenPairResponse> {
    const refreshToken = randomToken(32);
    await this.tx.tx.query(
      `INSERT INTO platform.refresh_token (id, user_id, family_id, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(days => $5::int))`,
      [uuidv7(), user.id, familyId, sha256(refreshToken), REFRESH_TOKEN_TTL_DAYS],
    );
    return { accessToken: await this.tokens.sign(user), refreshToken, tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }
}
