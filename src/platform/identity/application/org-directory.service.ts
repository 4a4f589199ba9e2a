import { Injectable } from '@nestjs/common';
import { isUuid } from '../../database/ids.js';
import { Tx } from '../../database/transaction.js';
import { OrgDirectory, type DirectoryOrgUnit, type DirectoryUser } from './org-directory.js';

const USER = `SELECT u.id, u.email, u.name, u.kind, u.org_unit_id AS "orgUnitId", u.manager_id AS "managerId", u.roles, u.active,
                     u.account_id AS "accountId" FROM platform.app_user u`;
const UNIT = `SELECT o.id, o.name, o.type, o.parent_id AS "parentId", o.head_user_id AS "headUserId" FROM platform.org_unit o`;

/** {@link OrgDirectory} on the identity tables, reading through the current transaction. */
@Injectable()
export class SqlOrgDirectory extends OrgDirectory {
  constructor(private readonly tx: Tx) {
    super();
  }

  private query<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.tx.tx.query(sql, params);
  }

  async user(id: string): Promise<DirectoryUser | null> {
    if (!isUuid(id)) return null;
    return (await this.query<DirectoryUser>(`${USER} WHERE u.id = $1`, [id]))[0] ?? null;
  }

  async users(ids: string[]): Promise<DirectoryUser[]> {
    const valid = ids.filter((id) => isUuid(id));
    if (valid.length === 0) return [];
    return this.query<DirectoryUser>(`${USER} WHERE u.id = ANY($1::uuid[]) ORDER BY u.name, u.id`, [valid]);
  }

  async orgUnit(id: string): Promise<DirectoryOrgUnit | null> {
    if (!isUuid(id)) return null;
    return (await this.query<DirectoryOrgUnit>(`${UNIT} WHERE o.id = $1`, [id]))[0] ?? null;
  }

  async orgUnitAncestors(orgUnitId: string): Promise<DirectoryOrgUnit[]> {
    if (!isUuid(orgUnitId)) return [];
    return this.query<DirectoryOrgUnit>(
      `${UNIT} JOIN platform.org_unit_closure c ON c.ancestor_id = o.id WHERE c.descendant_id = $1 ORDER BY c.depth`,
      [orgUnitId],
    );
  }

  async orgUnitSubtreeIds(orgUnitId: string): Promise<string[]> {
    if (!isUuid(orgUnitId)) return [];
    const rows = await this.query<{ id: string }>(
      `SELECT descendant_id AS id FROM platform.org_unit_closure WHERE ancestor_id = $1 ORDER BY depth, descendant_id`,
      [orgUnitId],
    );
    return rows.map((r) => r.id);
  }

  async usersWithRoleInUnit(roleKey: string, orgUnitId: string): Promise<DirectoryUser[]> {
    if (!isUuid(orgUnitId)) return [];
    return this.query<DirectoryUser>(`${USER} WHERE u.active AND u.roles @> ARRAY[$1]::text[] AND u.org_unit_id = $2 ORDER BY u.name, u.id`, [
      roleKey,
      orgUnitId,
    ]);
  }

  async usersWithRole(roleKey: string): Promise<DirectoryUser[]> {
    return this.query<DirectoryUser>(`${USER} WHERE u.active AND u.roles @> ARRAY[$1]::text[] ORDER BY u.name, u.id`, [roleKey]);
  }

  async activeUsersInSubtree(orgUnitId: string): Promise<DirectoryUser[]> {
    if (!isUuid(orgUnitId)) return [];
    return this.query<DirectoryUser>(
      `${USER} JOIN platform.org_unit_closure c ON c.descendant_id = u.org_unit_id WHERE u.active AND c.ancestor_id = $1 ORDER BY u.name, u.id`,
      [orgUnitId],
    );
  }
}
