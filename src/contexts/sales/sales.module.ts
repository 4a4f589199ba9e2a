import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsController } from './api/accounts.controller.js';
import { ContactsController } from './api/contacts.controller.js';
import { AccountService } from './application/account.service.js';
import { ContactService } from './application/contact.service.js';
import { SalesAccess } from './application/sales-access.js';
import { SalesEventPublisher } from './application/sales-events.js';
import { SalesSettings } from './application/sales-settings.js';
import { Account } from './domain/account.entity.js';
import { Contact } from './domain/contact.entity.js';

/**
 * Sales bounded context (Postgres schema `sales`): accounts and contacts, leads and the lead
 * pool, sales methods and opportunities, activities and the calendar. See DOMAIN.md §1.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Account, Contact])],
  controllers: [AccountsController, ContactsController],
  providers: [SalesAccess, SalesEventPublisher, SalesSettings, AccountService, ContactService],
})
export class SalesModule {}
