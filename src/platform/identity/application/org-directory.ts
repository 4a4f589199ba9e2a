/**
 * Read-only questions about people and the org tree that other modules ask (the workflow
 * engine resolving approvers, sales assigning leads to a team). Backed by the identity tables;
 * inject `OrgDirectory` (the identity module binds the implementation). Inside a use case it
 * reads through the current transaction.
 */
export interface DirectoryUser {
  id: string;
  email: string;
  name: string;
  kind: 'employee' | 'partner' | 'customer' | 'service';
  orgUnitId: string | null;
  managerId: string | null;
  roles: string[];
  active: boolean;
  accountId: string | null;
}

export interface DirectoryOrgUnit {
  id: string;
  name: string;
  type: 'group' | 'region' | 'branch' | 'department' | 'team';
  parentId: string | null;
  headUserId: string | null;
}

export abstract class OrgDirectory {
  abstract user(id: string): Promise<DirectoryUser | null>;
  abstract users(ids: string[]): Promise<DirectoryUser[]>;
  abstract orgUnit(id: string): Promise<DirectoryOrgUnit | null>;
  /** The unit itself first, then its parent, … up to the root. */
  abstract orgUnitAncestors(orgUnitId: string): Promise<DirectoryOrgUnit[]>;
  /** The unit and every unit below it. */
  abstract orgUnitSubtreeIds(orgUnitId: string): Promise<string[]>;
  /** Active users holding `roleKey` whose org unit is exactly `orgUnitId`. */
  abstract usersWithRoleInUnit(roleKey: string, orgUnitId: string): Promise<DirectoryUser[]>;
  /** Active users holding `roleKey` anywhere. */
  abstract usersWithRole(roleKey: string): Promise<DirectoryUser[]>;
  /** Active users whose org unit is in the subtree of `orgUnitId`. */
  abstract activeUsersInSubtree(orgUnitId: string): Promise<DirectoryUser[]>;
}
