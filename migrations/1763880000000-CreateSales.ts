import type { MigrationInterface, QueryRunner } from 'typeorm';

const AGGREGATE = `
  id          uuid           PRIMARY KEY,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now(),
  version     integer        NOT NULL DEFAULT 1`;

/**
 * The Sales context (schema `sales`): accounts, contacts, leads and their pool, assignment
 * rules, capture forms, sales methods, opportunities, competitors, activities, transfers.
 * Every list has an index serving its default sort (`(<sort column>, id)` for keyset paging)
 * and its common filters (owner for data scopes, account, status); `?q=` searches use trigram
 * indexes; duplicate checks use the normalized `*_key` columns.
 */
export class CreateSales1763880000000 implements MigrationInterface {
  name = 'CreateSales1763880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sales.setting (
        key         text  PRIMARY KEY,
        value       jsonb NOT NULL,
        description text  NOT NULL
      )`);
    await q.query(`
      INSERT INTO sales.setting (key, value, description) VALUES
        ('lead-pool-return-days', '30', 'Days without activity after which an owned open lead returns to the lead pool'),
        ('lead-claim-limit', '50', 'Open leads (assigned or working) a rep may hold when claiming from the pool'),
        ('birthday-reminder-days', '3', 'Days before a contact''s birthday that the owner gets a care task'),
        ('pipeline-default-currency', '"EUR"', 'Currency of the pipeline summary when the caller names none')`);

    await q.query(`
      CREATE TABLE sales.account (${AGGREGATE},
        name               text     NOT NULL,
        type               text     NOT NULL CHECK (type IN ('customer', 'prospect', 'partner', 'competitor')),
        industry           text,
        tier               text     CHECK (tier IN ('key', 'large', 'medium', 'small')),
        lifecycle_stage    text     NOT NULL CHECK (lifecycle_stage IN ('suspect', 'prospect', 'new-customer', 'repeat', 'loyal', 'lapsed')),
        flags              text[]   NOT NULL,
        owner_id           uuid     NOT NULL,
        org_unit_id        uuid,
        parent_account_id  uuid     REFERENCES sales.account (id),
        phone              text,
        email              text,
        website            text,
        address            jsonb,
        anniversary        date,
        credit_rating      text,
        credit_limit_minor bigint,
        credit_currency    char(3),
        external_id        text,
        custom_fields      jsonb    NOT NULL,
        name_key           text     NOT NULL,
        email_key          text,
        phone_key          text,
        search_text        text     NOT NULL
      )`);
    await q.query(`CREATE INDEX account_name_idx ON sales.account (name, id)`);
    await q.query(`CREATE INDEX account_owner_name_idx ON sales.account (owner_id, name, id)`);
    await q.query(`CREATE INDEX account_org_unit_name_idx ON sales.account (org_unit_id, name, id)`);
    await q.query(`CREATE INDEX account_type_name_idx ON sales.account (type, name, id)`);
    await q.query(`CREATE INDEX account_created_idx ON sales.account (created_at, id)`);
    await q.query(`CREATE INDEX account_updated_idx ON sales.account (updated_at, id)`);
    await q.query(`CREATE INDEX account_parent_idx ON sales.account (parent_account_id) WHERE parent_account_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX account_external_id_key ON sales.account (external_id) WHERE external_id IS NOT NULL`);
    await q.query(`CREATE INDEX account_name_key_idx ON sales.account (name_key)`);
    await q.query(`CREATE INDEX account_email_key_idx ON sales.account (email_key) WHERE email_key IS NOT NULL`);
    await q.query(`CREATE INDEX account_phone_key_idx ON sales.account (phone_key) WHERE phone_key IS NOT NULL`);
    await q.query(`CREATE INDEX account_search_idx ON sales.account USING gin (search_text gin_trgm_ops)`);

    await q.query(`
      CREATE TABLE sales.contact (${AGGREGATE},
        account_id        uuid   NOT NULL REFERENCES sales.account (id),
        first_name        text,
        last_name         text   NOT NULL,
        title             text,
        department        text,
        email             text,
        phone             text,
        mobile            text,
        birthday          date,
        preferred_channel text,
        interests         text[] NOT NULL,
        owner_id          uuid   NOT NULL,
        custom_fields     jsonb  NOT NULL,
        email_key         text,
        phone_key         text,
        mobile_key        text,
        search_text       text   NOT NULL
      )`);
    await q.query(`CREATE INDEX contact_last_name_idx ON sales.contact (last_name, id)`);
    await q.query(`CREATE INDEX contact_account_idx ON sales.contact (account_id, last_name, id)`);
    await q.query(`CREATE INDEX contact_owner_idx ON sales.contact (owner_id, last_name, id)`);
    await q.query(`CREATE INDEX contact_created_idx ON sales.contact (created_at, id)`);
    await q.query(`CREATE INDEX contact_updated_idx ON sales.contact (updated_at, id)`);
    await q.query(`CREATE INDEX contact_email_key_idx ON sales.contact (email_key) WHERE email_key IS NOT NULL`);
    await q.query(`CREATE INDEX contact_phone_key_idx ON sales.contact (phone_key) WHERE phone_key IS NOT NULL`);
    await q.query(`CREATE INDEX contact_mobile_key_idx ON sales.contact (mobile_key) WHERE mobile_key IS NOT NULL`);
    await q.query(`CREATE INDEX contact_search_idx ON sales.contact USING gin (search_text gin_trgm_ops)`);
    await q.query(`
      CREATE INDEX contact_birthday_idx ON sales.contact (EXTRACT(MONTH FROM birthday), EXTRACT(DAY FROM birthday))
       WHERE birthday IS NOT NULL`);

    await q.query(`
      CREATE TABLE sales.lead_assignment_rule (${AGGREGATE},
        name                  text    NOT NULL,
        priority              integer NOT NULL,
        criteria              jsonb   NOT NULL,
        assign_to_user_id     uuid,
        assign_to_org_unit_id uuid,
        strategy              text    NOT NULL CHECK (strategy IN ('round-robin', 'least-loaded')),
        active                boolean NOT NULL,
        assigned_count        bigint  NOT NULL,
        CONSTRAINT lead_assignment_rule_target_check CHECK ((assign_to_user_id IS NULL) <> (assign_to_org_unit_id IS NULL))
      )`);
    await q.query(`CREATE INDEX lead_assignment_rule_priority_idx ON sales.lead_assignment_rule (priority, id)`);

    await q.query(`
      CREATE TABLE sales.lead_capture_form (${AGGREGATE},
        name             text    NOT NULL,
        form_key         text    NOT NULL UNIQUE,
        active           boolean NOT NULL,
        rate_per_minute  integer NOT NULL,
        product_interest text,
        region           text,
        campaign_id      uuid,
        created_by       uuid    NOT NULL
      )`);
    await q.query(`CREATE INDEX lead_capture_form_created_idx ON sales.lead_capture_form (created_at, id)`);
    await q.query(`
      CREATE TABLE sales.lead_capture_hit (
        form_id      uuid        NOT NULL,
        client       text        NOT NULL,
        window_start timestamptz NOT NULL,
        hits         integer     NOT NULL,
        PRIMARY KEY (form_id, client, window_start)
      )`);
    await q.query(`CREATE INDEX lead_capture_hit_window_idx ON sales.lead_capture_hit (window_start)`);

    await q.query(`
      CREATE TABLE sales.lead (${AGGREGATE},
        company                  text,
        first_name               text,
        last_name                text    NOT NULL,
        title                    text,
        email                    text,
        phone                    text,
        source                   text    NOT NULL,
        industry                 text,
        region                   text,
        product_interest         text,
        estimated_amount_minor   bigint,
        currency                 char(3),
        description              text,
        status                   text    NOT NULL CHECK (status IN ('new', 'assigned', 'working', 'qualified', 'disqualified', 'converted')),
        owner_id                 uuid,
        org_unit_id              uuid,
        campaign_id              uuid,
        capture_form_id          uuid,
        assignment_rule_id       uuid,
        disqualify_reason        text,
        last_activity_at         timestamptz(3),
        assigned_at              timestamptz(3),
        converted_at             timestamptz(3),
        converted_account_id     uuid,
        converted_contact_id     uuid,
        converted_opportunity_id uuid,
        source_event_id          uuid,
        custom_fields            jsonb   NOT NULL,
        email_key                text,
        phone_key                text,
        search_text              text    NOT NULL,
        CONSTRAINT lead_owner_check CHECK (status = 'new' OR status IN ('disqualified', 'converted') OR owner_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX lead_created_idx ON sales.lead (created_at, id)`);
    await q.query(`CREATE INDEX lead_updated_idx ON sales.lead (updated_at, id)`);
    await q.query(`CREATE INDEX lead_owner_created_idx ON sales.lead (owner_id, created_at, id)`);
    await q.query(`CREATE INDEX lead_status_created_idx ON sales.lead (status, created_at, id)`);
    await q.query(`CREATE INDEX lead_owner_open_idx ON sales.lead (owner_id) WHERE status IN ('assigned', 'working')`);
    await q.query(`CREATE INDEX lead_pool_idx ON sales.lead (created_at, id) WHERE owner_id IS NULL AND status = 'new'`);
    await q.query(`CREATE UNIQUE INDEX lead_source_event_key ON sales.lead (source_event_id) WHERE source_event_id IS NOT NULL`);
    await q.query(`CREATE INDEX lead_email_key_idx ON sales.lead (email_key) WHERE email_key IS NOT NULL`);
    await q.query(`CREATE INDEX lead_search_idx ON sales.lead USING gin (search_text gin_trgm_ops)`);

    await q.query(`
      CREATE TABLE sales.sales_method (${AGGREGATE},
        name         text    NOT NULL,
        description  text,
        strict_order boolean NOT NULL,
        is_default   boolean NOT NULL
      )`);
    await q.query(`CREATE INDEX sales_method_name_idx ON sales.sales_method (name, id)`);
    await q.query(`CREATE UNIQUE INDEX sales_method_one_default ON sales.sales_method (is_default) WHERE is_default`);
    await q.query(`
      CREATE TABLE sales.sales_method_stage (
        sales_method_id uuid    NOT NULL REFERENCES sales.sales_method (id) ON DELETE CASCADE,
        key             text    NOT NULL,
        name            text    NOT NULL,
        position        integer NOT NULL,
        probability     integer NOT NULL CHECK (probability BETWEEN 0 AND 100),
        terminal        text    CHECK (terminal IN ('won', 'lost')),
        PRIMARY KEY (sales_method_id, key),
        UNIQUE (sales_method_id, position)
      )`);

    await q.query(`
      CREATE TABLE sales.competitor (${AGGREGATE},
        name       text NOT NULL,
        website    text,
        strengths  text,
        weaknesses text
      )`);
    await q.query(`CREATE INDEX competitor_name_idx ON sales.competitor (name, id)`);
    await q.query(`CREATE INDEX competitor_updated_idx ON sales.competitor (updated_at, id)`);

    await q.query(`
      CREATE TABLE sales.opportunity (${AGGREGATE},
        name                text           NOT NULL,
        account_id          uuid           NOT NULL REFERENCES sales.account (id),
        amount_minor        bigint         NOT NULL CHECK (amount_minor >= 0),
        currency            char(3)        NOT NULL,
        probability         integer        NOT NULL CHECK (probability BETWEEN 0 AND 100),
        close_date          date           NOT NULL,
        sales_method_id     uuid           NOT NULL REFERENCES sales.sales_method (id),
        stage_key           text           NOT NULL,
        stage_entered_at    timestamptz(3) NOT NULL,
        status              text           NOT NULL CHECK (status IN ('open', 'won', 'lost')),
        owner_id            uuid           NOT NULL,
        org_unit_id         uuid,
        source              text,
        lead_id             uuid,
        campaign_id         uuid,
        next_step           text,
        description         text,
        loss_reason         text,
        closed_at           timestamptz(3),
        last_open_stage_key text,
        source_event_id     uuid,
        custom_fields       jsonb          NOT NULL,
        FOREIGN KEY (sales_method_id, stage_key) REFERENCES sales.sales_method_stage (sales_method_id, key)
      )`);
    await q.query(`CREATE INDEX opportunity_close_idx ON sales.opportunity (close_date, id)`);
    await q.query(`CREATE INDEX opportunity_owner_close_idx ON sales.opportunity (owner_id, close_date, id)`);
    await q.query(`CREATE INDEX opportunity_org_unit_close_idx ON sales.opportunity (org_unit_id, close_date, id)`);
    await q.query(`CREATE INDEX opportunity_account_close_idx ON sales.opportunity (account_id, close_date, id)`);
    await q.query(`CREATE INDEX opportunity_status_close_idx ON sales.opportunity (status, close_date, id)`);
    await q.query(`CREATE INDEX opportunity_stage_idx ON sales.opportunity (sales_method_id, stage_key, close_date)`);
    await q.query(`CREATE INDEX opportunity_created_idx ON sales.opportunity (created_at, id)`);
    await q.query(`CREATE INDEX opportunity_updated_idx ON sales.opportunity (updated_at, id)`);
    await q.query(`CREATE UNIQUE INDEX opportunity_source_event_key ON sales.opportunity (source_event_id) WHERE source_event_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE sales.opportunity_stage_change (
        id             uuid           PRIMARY KEY,
        opportunity_id uuid           NOT NULL REFERENCES sales.opportunity (id) ON DELETE CASCADE,
        from_stage_key text,
        to_stage_key   text           NOT NULL,
        changed_at     timestamptz(3) NOT NULL,
        changed_by     uuid,
        days_in_stage  numeric(10, 2) NOT NULL
      )`);
    await q.query(`CREATE INDEX opportunity_stage_change_opportunity_idx ON sales.opportunity_stage_change (opportunity_id, changed_at, id)`);
    await q.query(`
      CREATE TABLE sales.opportunity_competitor (
        opportunity_id uuid           NOT NULL REFERENCES sales.opportunity (id) ON DELETE CASCADE,
        competitor_id  uuid           NOT NULL REFERENCES sales.competitor (id),
        strengths      text,
        weaknesses     text,
        created_at     timestamptz(3) NOT NULL,
        PRIMARY KEY (opportunity_id, competitor_id)
      )`);
    await q.query(`CREATE INDEX opportunity_competitor_competitor_idx ON sales.opportunity_competitor (competitor_id)`);
    await q.query(`
      CREATE TABLE sales.opportunity_contact_role (
        opportunity_id uuid           NOT NULL REFERENCES sales.opportunity (id) ON DELETE CASCADE,
        contact_id     uuid           NOT NULL REFERENCES sales.contact (id) ON DELETE CASCADE,
        role           text           NOT NULL,
        attitude       text           NOT NULL CHECK (attitude IN ('supporter', 'neutral', 'opponent')),
        note           text,
        created_at     timestamptz(3) NOT NULL,
        PRIMARY KEY (opportunity_id, contact_id)
      )`);
    await q.query(`CREATE INDEX opportunity_contact_role_contact_idx ON sales.opportunity_contact_role (contact_id)`);

    await q.query(`
      CREATE TABLE sales.activity (${AGGREGATE},
        type             text           NOT NULL CHECK (type IN ('call', 'meeting', 'visit', 'email', 'demo', 'task')),
        subject          text           NOT NULL,
        description      text,
        start_at         timestamptz(3) NOT NULL,
        end_at           timestamptz(3),
        location         text,
        priority         text           NOT NULL,
        status           text           NOT NULL CHECK (status IN ('open', 'completed', 'cancelled')),
        outcome          text,
        completed_at     timestamptz(3),
        owner_id         uuid           NOT NULL,
        org_unit_id      uuid,
        participant_ids  uuid[]         NOT NULL,
        related_type     text,
        related_id       uuid,
        account_id       uuid,
        reminder_at      timestamptz(3),
        reminder_sent_at timestamptz(3),
        system_key       text,
        CONSTRAINT activity_end_after_start_check CHECK (end_at IS NULL OR end_at > start_at)
      )`);
    await q.query(`CREATE INDEX activity_start_idx ON sales.activity (start_at, id)`);
    await q.query(`CREATE INDEX activity_owner_start_idx ON sales.activity (owner_id, start_at, id)`);
    await q.query(`CREATE INDEX activity_org_unit_start_idx ON sales.activity (org_unit_id, start_at, id)`);
    await q.query(`CREATE INDEX activity_related_idx ON sales.activity (related_type, related_id, start_at)`);
    await q.query(`CREATE INDEX activity_account_start_idx ON sales.activity (account_id, start_at) WHERE account_id IS NOT NULL`);
    await q.query(`CREATE INDEX activity_updated_idx ON sales.activity (updated_at, id)`);
    await q.query(`CREATE UNIQUE INDEX activity_system_key ON sales.activity (system_key) WHERE system_key IS NOT NULL`);

    await q.query(`
      CREATE TABLE sales.ownership_transfer (${AGGREGATE},
        from_user_id uuid  NOT NULL,
        to_user_id   uuid  NOT NULL,
        requested_by uuid  NOT NULL,
        counts       jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX ownership_transfer_created_idx ON sales.ownership_transfer (created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'ownership_transfer', 'activity', 'opportunity_contact_role', 'opportunity_competitor', 'opportunity_stage_change',
      'opportunity', 'competitor', 'sales_method_stage', 'sales_method', 'lead', 'lead_capture_hit', 'lead_capture_form',
      'lead_assignment_rule', 'contact', 'account', 'setting',
    ]) {
      await q.query(`DROP TABLE sales.${table}`);
    }
  }
}
