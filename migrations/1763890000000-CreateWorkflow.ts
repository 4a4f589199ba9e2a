import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Workflow: versioned process definitions, approval instances with steps, tasks and history,
 * delegations, automation rules and their execution log (schema `workflow`). Rows of one
 * aggregate are tied by plain uuid columns (the schema-drift test compares against entities
 * without relations).
 */
export class CreateWorkflow1763890000000 implements MigrationInterface {
  name = 'CreateWorkflow1763890000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workflow.process_definition (
        id           uuid PRIMARY KEY,
        key          text NOT NULL UNIQUE,
        subject_type text NOT NULL,
        name         text NOT NULL,
        active       boolean NOT NULL DEFAULT true,
        created_at   timestamptz(3) NOT NULL DEFAULT now(),
        updated_at   timestamptz(3) NOT NULL DEFAULT now(),
        version      integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX process_definition_created_idx ON workflow.process_definition (created_at, id)`);
    await q.query(`CREATE INDEX process_definition_subject_idx ON workflow.process_definition (subject_type, created_at, id)`);
    await q.query(`
      CREATE TABLE workflow.process_definition_version (
        id             uuid PRIMARY KEY,
        definition_id  uuid NOT NULL,
        number         integer NOT NULL,
        name           text NOT NULL,
        entry_criteria jsonb,
        steps          jsonb NOT NULL,
        created_by     uuid,
        created_at     timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT process_definition_version_number_uq UNIQUE (definition_id, number)
      )`);

    await q.query(`
      CREATE TABLE workflow.approval_instance (
        id                    uuid PRIMARY KEY,
        subject_type          text NOT NULL,
        subject_id            text NOT NULL,
        subject_code          text NOT NULL,
        title                 text NOT NULL,
        requester_id          uuid NOT NULL,
        requester_org_unit_id uuid,
        amount_minor          bigint,
        currency              char(3),
        attributes            jsonb NOT NULL,
        definition_id         uuid,
        definition_key        text,
        definition_version    integer,
        status                text NOT NULL,
        current_step_index    integer,
        decided_by            uuid,
        decision_comment      text,
        automatic             boolean NOT NULL DEFAULT false,
        completed_at          timestamptz(3),
        request_event_id      uuid UNIQUE,
        created_at            timestamptz(3) NOT NULL DEFAULT now(),
        updated_at            timestamptz(3) NOT NULL DEFAULT now(),
        version               integer NOT NULL DEFAULT 1,
        CONSTRAINT approval_instance_status_chk CHECK (status IN ('running', 'approved', 'rejected', 'recalled'))
      )`);
    await q.query(`CREATE INDEX approval_instance_created_idx ON workflow.approval_instance (created_at, id)`);
    await q.query(`CREATE INDEX approval_instance_subject_idx ON workflow.approval_instance (subject_type, subject_id, created_at, id)`);
    await q.query(`CREATE INDEX approval_instance_requester_idx ON workflow.approval_instance (requester_id, created_at, id)`);
    await q.query(`CREATE INDEX approval_instance_status_idx ON workflow.approval_instance (status, created_at, id)`);
    await q.query(`CREATE UNIQUE INDEX approval_instance_one_running_idx ON workflow.approval_instance (subject_type, subject_id) WHERE status = 'running'`);

    await q.query(`
      CREATE TABLE workflow.approval_step (
        id                uuid PRIMARY KEY,
        instance_id       uuid NOT NULL,
        step_index        integer NOT NULL,
        name              text NOT NULL,
        mode              text NOT NULL,
        approver          jsonb NOT NULL,
        condition         jsonb,
        timeout           jsonb,
        status            text NOT NULL,
        started_at        timestamptz(3),
        due_at            timestamptz(3),
        completed_at      timestamptz(3),
        unresolved_reason text,
        created_at        timestamptz(3) NOT NULL DEFAULT now(),
        updated_at        timestamptz(3) NOT NULL DEFAULT now(),
        version           integer NOT NULL DEFAULT 1,
        CONSTRAINT approval_step_index_uq UNIQUE (instance_id, step_index)
      )`);

    await q.query(`
      CREATE TABLE workflow.task (
        id                     uuid PRIMARY KEY,
        kind                   text NOT NULL,
        instance_id            uuid,
        step_id                uuid,
        assignee_id            uuid NOT NULL,
        original_assignee_id   uuid,
        delegated_from_task_id uuid,
        via                    text,
        title                  text NOT NULL,
        status                 text NOT NULL,
        decided_by             uuid,
        decided_at             timestamptz(3),
        comment                text,
        due_at                 timestamptz(3),
        rule_id                uuid,
        source_event_id        uuid,
        created_at             timestamptz(3) NOT NULL DEFAULT now(),
        updated_at             timestamptz(3) NOT NULL DEFAULT now(),
        version                integer NOT NULL DEFAULT 1,
        CONSTRAINT task_kind_chk CHECK (kind IN ('approval', 'action'))
      )`);
    await q.query(`CREATE INDEX task_assignee_idx ON workflow.task (assignee_id, status, created_at, id)`);
    await q.query(`CREATE INDEX task_status_idx ON workflow.task (status, created_at, id)`);
    await q.query(`CREATE INDEX task_created_idx ON workflow.task (created_at, id)`);
    await q.query(`CREATE INDEX task_instance_idx ON workflow.task (instance_id, assignee_id)`);
    await q.query(`CREATE INDEX task_step_idx ON workflow.task (step_id, status)`);

    await q.query(`
      CREATE TABLE workflow.approval_history (
        id          uuid PRIMARY KEY,
        instance_id uuid NOT NULL,
        step_id     uuid,
        task_id     uuid,
        at          timestamptz(3) NOT NULL,
        actor_id    uuid,
        action      text NOT NULL,
        detail      jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX approval_history_instance_idx ON workflow.approval_history (instance_id, at, id)`);

    await q.query(`
      CREATE TABLE workflow.delegation (
        id           uuid PRIMARY KEY,
        from_user_id uuid NOT NULL,
        to_user_id   uuid NOT NULL,
        starts_at    timestamptz(3) NOT NULL,
        ends_at      timestamptz(3) NOT NULL,
        reason       text,
        created_by   uuid,
        created_at   timestamptz(3) NOT NULL DEFAULT now(),
        updated_at   timestamptz(3) NOT NULL DEFAULT now(),
        version      integer NOT NULL DEFAULT 1,
        CONSTRAINT delegation_window_chk CHECK (ends_at > starts_at),
        CONSTRAINT delegation_self_chk CHECK (from_user_id <> to_user_id)
      )`);
    await q.query(`CREATE INDEX delegation_from_idx ON workflow.delegation (from_user_id, ends_at)`);
    await q.query(`CREATE INDEX delegation_created_idx ON workflow.delegation (created_at, id)`);

    await q.query(`
      CREATE TABLE workflow.automation_rule (
        id         uuid PRIMARY KEY,
        name       text NOT NULL,
        event_type text NOT NULL,
        condition  jsonb,
        action     jsonb NOT NULL,
        enabled    boolean NOT NULL DEFAULT true,
        created_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version    integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX automation_rule_event_idx ON workflow.automation_rule (event_type) WHERE enabled`);
    await q.query(`CREATE INDEX automation_rule_created_idx ON workflow.automation_rule (created_at, id)`);
    await q.query(`
      CREATE TABLE workflow.automation_execution (
        id         uuid PRIMARY KEY,
        rule_id    uuid NOT NULL,
        event_id   uuid NOT NULL,
        event_type text NOT NULL,
        status     text NOT NULL,
        result     jsonb NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT automation_execution_once_uq UNIQUE (rule_id, event_id)
      )`);
    await q.query(`CREATE INDEX automation_execution_rule_idx ON workflow.automation_execution (rule_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['automation_execution', 'automation_rule', 'delegation', 'approval_history', 'task', 'approval_step', 'approval_instance', 'process_definition_version', 'process_definition']) {
      await q.query(`DROP TABLE workflow.${table}`);
    }
  }
}
