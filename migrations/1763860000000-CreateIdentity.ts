import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Entity tables carry no foreign keys (the entities declare none, and the schema-drift test
 * compares them); the service checks references. Identity: org units (a tree kept with a closure table so "my unit and everything below it" is
 * one indexed join), users, roles, refresh tokens, API keys and the login throttle.
 */
export class CreateIdentity1763860000000 implements MigrationInterface {
  name = 'CreateIdentity1763860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE platform.org_unit (
        id           uuid PRIMARY KEY,
        name         text NOT NULL,
        type         text NOT NULL CONSTRAINT org_unit_type_check CHECK (type IN ('group', 'region', 'branch', 'department', 'team')),
        parent_id    uuid,
        head_user_id uuid,
        created_at   timestamptz(3) NOT NULL DEFAULT now(),
        updated_at   timestamptz(3) NOT NULL DEFAULT now(),
        version      integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX org_unit_name_idx ON platform.org_unit (name, id)`);
    await q.query(`CREATE INDEX org_unit_created_at_idx ON platform.org_unit (created_at, id)`);
    await q.query(`CREATE INDEX org_unit_parent_idx ON platform.org_unit (parent_id)`);
    await q.query(`CREATE INDEX org_unit_head_idx ON platform.org_unit (head_user_id)`);
    // Closure table: one row per (ancestor, descendant) pair, the unit itself at depth 0.
    await q.query(`
      CREATE TABLE platform.org_unit_closure (
        ancestor_id   uuid NOT NULL REFERENCES platform.org_unit (id),
        descendant_id uuid NOT NULL REFERENCES platform.org_unit (id),
        depth         integer NOT NULL,
        PRIMARY KEY (ancestor_id, descendant_id)
      )`);
    await q.query(`CREATE INDEX org_unit_closure_descendant_idx ON platform.org_unit_closure (descendant_id, depth)`);

    await q.query(`
      CREATE TABLE platform.role (
        id          uuid PRIMARY KEY,
        key         text NOT NULL,
        name        text NOT NULL,
        description text,
        permissions text[] NOT NULL,
        data_scopes jsonb NOT NULL,
        built_in    boolean NOT NULL,
        created_at  timestamptz(3) NOT NULL DEFAULT now(),
        updated_at  timestamptz(3) NOT NULL DEFAULT now(),
        version     integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX role_key_key ON platform.role (key)`);
    await q.query(`CREATE INDEX role_created_at_idx ON platform.role (created_at, id)`);

    await q.query(`
      CREATE TABLE platform.app_user (
        id              uuid PRIMARY KEY,
        email           text NOT NULL,
        name            text NOT NULL,
        password_hash   text,
        kind            text NOT NULL CONSTRAINT app_user_kind_check CHECK (kind IN ('employee', 'partner', 'customer', 'service')),
        org_unit_id     uuid,
        manager_id      uuid,
        account_id      uuid,
        roles           text[] NOT NULL,
        active          boolean NOT NULL,
        session_version integer NOT NULL,
        created_at      timestamptz(3) NOT NULL DEFAULT now(),
        updated_at      timestamptz(3) NOT NULL DEFAULT now(),
        version         integer NOT NULL DEFAULT 1,
        CONSTRAINT app_user_account_check CHECK (kind NOT IN ('partner', 'customer') OR account_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_key ON platform.app_user (lower(email))`);
    await q.query(`CREATE INDEX app_user_created_at_idx ON platform.app_user (created_at, id)`);
    await q.query(`CREATE INDEX app_user_name_idx ON platform.app_user (name, id)`);
    await q.query(`CREATE INDEX app_user_org_unit_idx ON platform.app_user (org_unit_id)`);
    await q.query(`CREATE INDEX app_user_manager_idx ON platform.app_user (manager_id)`);
    await q.query(`CREATE INDEX app_user_roles_idx ON platform.app_user USING gin (roles)`);

    await q.query(`
      CREATE TABLE platform.refresh_token (
        id          uuid PRIMARY KEY,
        user_id     uuid NOT NULL REFERENCES platform.app_user (id),
        family_id   uuid NOT NULL,
        token_hash  text NOT NULL UNIQUE,
        expires_at  timestamptz(3) NOT NULL,
        spent_at    timestamptz(3),
        revoked_at  timestamptz(3),
        created_at  timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_token_family_idx ON platform.refresh_token (family_id)`);
    await q.query(`CREATE INDEX refresh_token_user_idx ON platform.refresh_token (user_id)`);

    await q.query(`
      CREATE TABLE platform.api_key (
        id           uuid PRIMARY KEY,
        name         text NOT NULL,
        prefix       text NOT NULL,
        key_hash     text NOT NULL,
        permissions  text[] NOT NULL,
        created_by   uuid NOT NULL,
        last_used_at timestamptz(3),
        revoked_at   timestamptz(3),
        created_at   timestamptz(3) NOT NULL DEFAULT now(),
        updated_at   timestamptz(3) NOT NULL DEFAULT now(),
        version      integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX api_key_key_hash_key ON platform.api_key (key_hash)`);
    await q.query(`CREATE INDEX api_key_created_at_idx ON platform.api_key (created_at, id)`);

    // Failed sign-ins per account and per IP, in the database so the limit holds across replicas.
    await q.query(`
      CREATE TABLE platform.login_throttle (
        key               text PRIMARY KEY,
        failures          integer NOT NULL,
        window_started_at timestamptz(3) NOT NULL,
        blocked_until     timestamptz(3)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['login_throttle', 'api_key', 'refresh_token', 'app_user', 'role', 'org_unit_closure', 'org_unit']) {
      await q.query(`DROP TABLE platform.${table}`);
    }
  }
}
