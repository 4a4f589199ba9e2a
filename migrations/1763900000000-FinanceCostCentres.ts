import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finance: cost centres with a ledger of reservations and postings, expense claims with lines,
 * advances, incomes, settlements, auto-open rules and gap-free code counters.
 * The cap invariant is also a CHECK: spent + reserved never exceeds the cap. Rows of one aggregate
 * are tied by plain uuid columns (as elsewhere: the schema-drift test compares against entities
 * without relations).
 */
export class FinanceCostCentres1763900000000 implements MigrationInterface {
  name = 'FinanceCostCentres1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE finance.code_counter (
        prefix     text    NOT NULL,
        year       integer NOT NULL,
        last_value bigint  NOT NULL,
        PRIMARY KEY (prefix, year)
      )`);

    await q.query(`
      CREATE TABLE finance.cost_centre (
        id                 uuid          PRIMARY KEY,
        code               text          NOT NULL UNIQUE,
        name               text          NOT NULL,
        subject_type       text          NOT NULL,
        subject_id         uuid,
        owner_id           uuid,
        currency           char(3)       NOT NULL,
        cap_minor          bigint        NOT NULL CHECK (cap_minor >= 0),
        warning_line_minor bigint        NOT NULL CHECK (warning_line_minor >= 0),
        spent_minor        bigint        NOT NULL DEFAULT 0 CHECK (spent_minor >= 0),
        reserved_minor     bigint        NOT NULL DEFAULT 0 CHECK (reserved_minor >= 0),
        income_minor       bigint        NOT NULL DEFAULT 0 CHECK (income_minor >= 0),
        status             text          NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'warning', 'exhausted', 'closed')),
        opened_by          text          NOT NULL CHECK (opened_by IN ('manual', 'event')),
        source_event_id    uuid,
        created_at         timestamptz(3) NOT NULL DEFAULT now(),
        updated_at         timestamptz(3) NOT NULL DEFAULT now(),
        version            integer       NOT NULL DEFAULT 1,
        CONSTRAINT cost_centre_within_cap CHECK (spent_minor + reserved_minor <= cap_minor),
        CONSTRAINT cost_centre_warning_within_cap CHECK (warning_line_minor <= cap_minor)
      )`);
    await q.query(`CREATE UNIQUE INDEX cost_centre_subject_uq ON finance.cost_centre (subject_type, subject_id) WHERE subject_id IS NOT NULL`);
    await q.query(`CREATE INDEX cost_centre_created_idx ON finance.cost_centre (created_at, id)`);
    await q.query(`CREATE INDEX cost_centre_owner_created_idx ON finance.cost_centre (owner_id, created_at, id)`);
    await q.query(`CREATE INDEX cost_centre_status_created_idx ON finance.cost_centre (status, created_at, id)`);

    await q.query(`
      CREATE TABLE finance.ledger_entry (
        id                   uuid          PRIMARY KEY,
        cost_centre_id       uuid          NOT NULL,
        kind                 text          NOT NULL CHECK (kind IN ('reservation', 'release', 'posting', 'income')),
        source_type          text          NOT NULL CHECK (source_type IN ('expense-claim', 'advance', 'income')),
        source_id            uuid          NOT NULL,
        source_code          text,
        category             text,
        occurred_on          date          NOT NULL,
        amount_minor         bigint        NOT NULL CHECK (amount_minor > 0),
        reserved_delta_minor bigint        NOT NULL,
        spent_delta_minor    bigint        NOT NULL,
        income_delta_minor   bigint        NOT NULL,
        actor_id             uuid,
        created_at           timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ledger_entry_centre_created_idx ON finance.ledger_entry (cost_centre_id, created_at, id)`);
    await q.query(`CREATE INDEX ledger_entry_report_idx ON finance.ledger_entry (cost_centre_id, occurred_on) INCLUDE (category, spent_delta_minor) WHERE kind = 'posting'`);
    await q.query(`CREATE INDEX ledger_entry_source_idx ON finance.ledger_entry (source_id)`);

    await q.query(`
      CREATE TABLE finance.expense_claim (
        id                uuid          PRIMARY KEY,
        code              text          NOT NULL UNIQUE,
        kind              text          NOT NULL CHECK (kind IN ('request', 'reimbursement')),
        title             text          NOT NULL,
        cost_centre_id    uuid          NOT NULL,
        owner_id          uuid          NOT NULL,
        owner_org_unit_id uuid,
        currency          char(3)       NOT NULL,
        total_minor       bigint        NOT NULL CHECK (total_minor > 0),
        account_id        uuid,
        campaign_id       uuid,
        product_id        uuid,
        supplier_ref      text,
        status            text          NOT NULL DEFAULT 'draft'
                          CHECK (status IN ('draft', 'submitted', 'approved', 'posted', 'rejected', 'recalled')),
        approval_id       uuid,
        submitted_at      timestamptz(3),
        decided_at        timestamptz(3),
        decided_by        uuid,
        decision_comment  text,
        posted_at         timestamptz(3),
        created_at        timestamptz(3) NOT NULL DEFAULT now(),
        updated_at        timestamptz(3) NOT NULL DEFAULT now(),
        version           integer       NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX expense_claim_created_idx ON finance.expense_claim (created_at, id)`);
    await q.query(`CREATE INDEX expense_claim_owner_created_idx ON finance.expense_claim (owner_id, created_at, id)`);
    await q.query(`CREATE INDEX expense_claim_centre_created_idx ON finance.expense_claim (cost_centre_id, created_at, id)`);
    await q.query(`CREATE INDEX expense_claim_status_created_idx ON finance.expense_claim (status, created_at, id)`);
    await q.query(`CREATE INDEX expense_claim_reconciliation_idx ON finance.expense_claim (owner_id, cost_centre_id) WHERE kind = 'reimbursement' AND status = 'posted'`);

    await q.query(`
      CREATE TABLE finance.expense_claim_line (
        id           uuid    PRIMARY KEY,
        claim_id     uuid    NOT NULL,
        position     integer NOT NULL,
        category     text    NOT NULL,
        expense_date date    NOT NULL,
        amount_minor bigint  NOT NULL CHECK (amount_minor > 0),
        description  text,
        receipt_ref  text,
        UNIQUE (claim_id, position)
      )`);

    await q.query(`
      CREATE TABLE finance.advance (
        id                uuid          PRIMARY KEY,
        code              text          NOT NULL UNIQUE,
        cost_centre_id    uuid          NOT NULL,
        owner_id          uuid          NOT NULL,
        owner_org_unit_id uuid,
        amount_minor      bigint        NOT NULL CHECK (amount_minor > 0),
        currency          char(3)       NOT NULL,
        purpose           text          NOT NULL,
        status            text          NOT NULL DEFAULT 'draft'
                          CHECK (status IN ('draft', 'submitted', 'approved', 'paid', 'rejected', 'recalled')),
        approval_id       uuid,
        submitted_at      timestamptz(3),
        decided_at        timestamptz(3),
        decided_by        uuid,
        decision_comment  text,
        paid_at           timestamptz(3),
        paid_by           uuid,
        payment_ref       text,
        created_at        timestamptz(3) NOT NULL DEFAULT now(),
        updated_at        timestamptz(3) NOT NULL DEFAULT now(),
        version           integer       NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX advance_created_idx ON finance.advance (created_at, id)`);
    await q.query(`CREATE INDEX advance_owner_created_idx ON finance.advance (owner_id, created_at, id)`);
    await q.query(`CREATE INDEX advance_status_created_idx ON finance.advance (status, created_at, id)`);
    await q.query(`CREATE INDEX advance_reconciliation_idx ON finance.advance (owner_id, cost_centre_id) WHERE status = 'paid'`);

    await q.query(`
      CREATE TABLE finance.income (
        id             uuid          PRIMARY KEY,
        code           text          NOT NULL UNIQUE,
        cost_centre_id uuid          NOT NULL,
        amount_minor   bigint        NOT NULL CHECK (amount_minor > 0),
        currency       char(3)       NOT NULL,
        received_on    date          NOT NULL,
        source         text          NOT NULL,
        description    text,
        account_id     uuid,
        recorded_by    uuid,
        created_at     timestamptz(3) NOT NULL DEFAULT now(),
        updated_at     timestamptz(3) NOT NULL DEFAULT now(),
        version        integer       NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX income_created_idx ON finance.income (created_at, id)`);
    await q.query(`CREATE INDEX income_centre_created_idx ON finance.income (cost_centre_id, created_at, id)`);

    await q.query(`
      CREATE TABLE finance.settlement (
        id             uuid          PRIMARY KEY,
        user_id        uuid          NOT NULL,
        cost_centre_id uuid         ,
        currency       char(3)       NOT NULL,
        direction      text          NOT NULL CHECK (direction IN ('employee-returns', 'company-pays')),
        amount_minor   bigint        NOT NULL CHECK (amount_minor > 0),
        settled_on     date          NOT NULL,
        reference      text,
        note           text,
        recorded_by    uuid,
        created_at     timestamptz(3) NOT NULL DEFAULT now(),
        updated_at     timestamptz(3) NOT NULL DEFAULT now(),
        version        integer       NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX settlement_user_idx ON finance.settlement (user_id, cost_centre_id, settled_on)`);

    await q.query(`
      CREATE TABLE finance.auto_open_rule (
        subject_type      text          PRIMARY KEY,
        enabled           boolean       NOT NULL,
        default_cap_minor bigint        NOT NULL CHECK (default_cap_minor >= 0),
        warning_line_pct  integer       NOT NULL CHECK (warning_line_pct BETWEEN 0 AND 100),
        default_currency  char(3)       NOT NULL,
        updated_at        timestamptz(3) NOT NULL DEFAULT now(),
        version           integer       NOT NULL DEFAULT 1
      )`);
    await q.query(`
      INSERT INTO finance.auto_open_rule (subject_type, enabled, default_cap_minor, warning_line_pct, default_currency) VALUES
        ('sales.opportunity', true, 1000000, 80, 'CNY'),
        ('marketing.campaign', true, 1000000, 80, 'CNY'),
        ('service.project', true, 1000000, 80, 'CNY')`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['auto_open_rule', 'settlement', 'income', 'advance', 'expense_claim_line', 'expense_claim', 'ledger_entry', 'cost_centre', 'code_counter']) {
      await q.query(`DROP TABLE finance.${table}`);
    }
  }
}
