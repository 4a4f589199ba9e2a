import { Injectable } from '@nestjs/common';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import { SingletonJob } from '../../../platform/scheduling/singleton-job.js';
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
 * Daily care job: a task for the owner of every contact whose birthday is
 * `birthday-reminder-days` days ahead. A platform singleton job (one replica per period); each
 * task also carries the unique key `birthday:<contactId>:<year>`, so however often it runs a
 * contact gets one task per year.
 */
@Injectable()
export class BirthdayRemindersJob {
  constructor(
    private readonly tx: Tx,
    private readonly clock: Clock,
    private readonly settings: SalesSettings,
    private readonly activities: ActivityService,
    private readonly captures: LeadCaptureService,
  ) {}

  @SingletonJob({ name: 'sales.birthday-reminders', everyMs: 86_400_000 })
  async run(): Promise<void> {
    await this.createTasks();
  }

  /** Creates the birthday tasks due today (by the Clock); returns how many. */
  @Transactional()
  async createTasks(): Promise<number> {
    const em = this.tx.tx;
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
