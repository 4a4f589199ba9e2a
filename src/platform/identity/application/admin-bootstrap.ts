import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { hashPassword } from './password.js';

/**
 * The first administrator: at start, if there is no user at all, ADMIN_EMAIL / ADMIN_PASSWORD
 * become an `admin`. Replicas starting together are safe: the insert is a no-op when the email
 * already exists. The password is never logged.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Identity');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    const [{ exists }]: { exists: boolean }[] = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM platform.app_user) AS exists`);
    if (exists) return;
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO platform.app_user (id, email, name, password_hash, kind, roles, active, session_version)
       VALUES ($1, $2, 'Administrator', $3, 'employee', ARRAY['admin'], true, 1)
       ON CONFLICT ((lower(email))) DO NOTHING RETURNING id`,
      [uuidv7(), this.config.adminEmail.toLowerCase(), await hashPassword(this.config.adminPassword)],
    );
    if (rows.length) this.logger.log(`Created the first administrator ${this.config.adminEmail}`);
  }
}
