import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import type { AppConfig } from '../../../platform/config/app-config.js';
import { APP_CONFIG } from '../../../platform/config/config.module.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import { birthdayOccasion, birthdayTaskKey, monthDaysFor } from '../domain/birthday.rules.js';
import { ActivityService } from './activity.service.js';
import { LeadCaptureService } from './lead-capture.service.js';
import { SALES_SETTINGS, SalesSettings } from './sales-settings.js';

interface BirthdayContact {
  id: string;
  firstName: string | null;
  lastName: string;
  ownerId: string;
}

/**
 * Daily care job (05:00 UTC): a task for the owner of every contact whose birthday is
 * `birthday-reminder-days` days ahead. Safe to run on every replica and more than once a day:
 * a transaction-scoped advisory lock keeps one runner at a time and each task carries the key
 * `birthday:<contactId>:<year>` (unique), so a contact gets one task per year.
 */
@Injectable()
export class BirthdayRemindersJob {
  private readonly logger = new Logger(BirthdayRemindersJob.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: Tx,
    private readonly clock: Clock,
    private readonly settings: SalesSettings,
    private readonly activities: ActivityService,
    private readonly captures: LeadCaptureService,
  ) {}

  @Cron('0 5 * * *', { name: 'sales.birthday-reminders', timeZone: 'UTC' })
  async tick(): Promise<void> {
    if (!this.config.workers) return;
    try {
      const created = await this.run();
      if (created) this.logger.log(`Created ${created} birthday tasks`);
    } catch (error) {
      this.logger.error(error);
    }
  }

  /** Creates today's birthday tasks; returns how many. Tests call it after moving the Clock. */
  @Transactional()
  async run(): Promise<number> {
    const em = this.tx.tx;
    const [{ locked }]: Array<{ locked: boolean }> = await em.query(`SELECT pg_try_advisory_xact_lock(hashtextextended('sales.birthday-reminders', 0)) AS locked`);
    if (!locked) return 0;
    const days = Number(await this.settings.get<number>(SALES_SETTINGS.birthdayReminderDays));
    const occasion = birthdayOccasion(this.clock.now(), days);
    const monthDays = monthDaysFor(occasion);
    const contacts: BirthdayContact[] = await em.query(
      `SELECT c.id, c.first_name AS "firstName", c.last_name AS "lastName", c.owner_id AS "ownerId"
         FROM sales.contact c
        WHERE c.birthday IS NOT NULL
          AND (EXTRACT(MONTH FROM c.birthday), EXTRACT(DAY FROM c.birthday)) IN (SELECT * FROM unnest($1::int[], $2::int[]))
          AND NOT EXISTS (SELECT 1 FROM sales.activity a WHERE a.system_key = 'birthday:' || c.id || ':' || $3)
        ORDER BY c.id`,
      [monthDays.map((d) => d.month), monthDays.map((d) => d.day), occasion.date.slice(0, 4)],
    );
    for (const contact of contacts) {
      const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
      await this.activities.create(null, {
        type: 'task',
        subject: `Birthday of ${name} on ${occasion.date}`,
        startAt: new Date(`${occasion.date}T09:00:00Z`),
        ownerId: contact.ownerId,
        related: { type: 'contact', id: contact.id },
        priority: 'normal',
        systemKey: birthdayTaskKey(contact.id, occasion),
      });
    }
    await this.captures.pruneHits();
    return contacts.length;
  }
}
