import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who submitted an approval request when that is not its requester (the request event's
 * actor): with the requester, never made an approver of it. Existing instances get it from
 * their `started` history entry.
 */
export class ApprovalSubmittedBy1764060000001 implements MigrationInterface {
  name = 'ApprovalSubmittedBy1764060000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workflow.approval_instance ADD COLUMN submitted_by uuid`);
    await q.query(`
      UPDATE workflow.approval_instance i SET submitted_by = h.actor_id
        FROM workflow.approval_history h
       WHERE h.instance_id = i.id AND h.action = 'started' AND h.actor_id IS NOT NULL AND h.actor_id <> i.requester_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workflow.approval_instance DROP COLUMN submitted_by`);
  }
}
