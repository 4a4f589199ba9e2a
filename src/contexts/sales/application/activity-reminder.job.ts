import { Injectable } from '@nestjs/common';
import { OnTimer, type DueTimer } from '../../../platform/scheduling/timers.js';
import { ACTIVITY_REMINDER, ActivityService } from './activity.service.js';

/** Publishes `sales.activity.reminder-due` when an activity's reminder time comes (durable timer per activity). */
@Injectable()
export class ActivityReminderJob {
  constructor(private readonly activities: ActivityService) {}

  @OnTimer(ACTIVITY_REMINDER)
  async remind(timer: DueTimer): Promise<void> {
    await this.activities.sendReminder(timer.key);
  }
}
