import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsController } from './api/accounts.controller.js';
import { ActivitiesController } from './api/activities.controller.js';
import { ContactsController } from './api/contacts.controller.js';
import { Customer360Controller } from './api/customer-360.controller.js';
import { LeadImportController } from './api/lead-import.controller.js';
import { LeadSetupController } from './api/lead-setup.controller.js';
import { LeadsController } from './api/leads.controller.js';
import { OpportunitiesController } from './api/opportunities.controller.js';
import { SalesSetupController } from './api/sales-setup.controller.js';
import { SalesSettingsController } from './api/settings.controller.js';
import { AccountService } from './application/account.service.js';
import { ActivityReminderJob } from './application/activity-reminder.job.js';
import { ActivityService } from './application/activity.service.js';
import { BirthdayRemindersJob } from './application/birthday-reminders.job.js';
import { CompetitorService } from './application/competitor.service.js';
import { ContactService } from './application/contact.service.js';
import { CreateLeadOnCampaignResponse } from './application/create-lead-on-campaign-response.handler.js';
import { CreateOpportunityOnAutomationRequest } from './application/create-opportunity-on-automation-request.handler.js';
import { Customer360Service } from './application/customer-360.service.js';
import { LeadImportService } from './application/lead-import.service.js';
import { LeadAssignmentService } from './application/lead-assignment.service.js';
import { LeadCaptureService } from './application/lead-capture.service.js';
import { LeadPoolReturnJob } from './application/lead-pool-return.job.js';
import { LeadService } from './application/lead.service.js';
import { OpportunityService } from './application/opportunity.service.js';
import { OwnershipTransferService } from './application/ownership-transfer.service.js';
import { PipelineService } from './application/pipeline.service.js';
import { SalesAccess } from './application/sales-access.js';
import { SalesEventPublisher } from './application/sales-events.js';
import { SalesMethodService } from './application/sales-method.service.js';
import { RecordCustomerTouches } from './application/record-customer-touches.handler.js';
import { SalesSettings } from './application/sales-settings.js';
import { SalesSettingsService } from './application/sales-settings.service.js';
import { Account } from './domain/account.entity.js';
import { Activity } from './domain/activity.entity.js';
import { Contact } from './domain/contact.entity.js';
import { CustomerTouch } from './domain/customer-touch.entity.js';
import { LeadAssignmentRule } from './domain/lead-assignment-rule.entity.js';
import { LeadCaptureForm } from './domain/lead-capture-form.entity.js';
import { Lead } from './domain/lead.entity.js';
import { Opportunity } from './domain/opportunity.entity.js';
import { Competitor, OpportunityCompetitor, OpportunityContactRole, OpportunityStageChange } from './domain/opportunity-parts.entity.js';
import { OwnershipTransfer } from './domain/ownership-transfer.entity.js';
import { SalesMethod, SalesMethodStage } from './domain/sales-method.entity.js';
import { OpenApiTags } from '../../platform/http/openapi-tags.js';

/**
 * Sales bounded context (Postgres schema `sales`): accounts and contacts, leads and the lead
 * pool, sales methods and opportunities, activities and the calendar. See DOMAIN.md §1 and
 * src/contexts/sales/README.md. Other contexts see only `public/events.ts`.
 */
@OpenApiTags({ name: 'sales', description: 'Accounts, contacts, leads, opportunities, activities' })
@Module({
  imports: [
    TypeOrmModule.forFeature([
      Account, Contact, Lead, LeadAssignmentRule, LeadCaptureForm, SalesMethod, SalesMethodStage, Opportunity, OpportunityStageChange,
      OpportunityCompetitor, OpportunityContactRole, Competitor, Activity, OwnershipTransfer, CustomerTouch,
    ]),
  ],
  controllers: [
    AccountsController, Customer360Controller, ContactsController, LeadImportController, LeadsController, LeadSetupController, OpportunitiesController,
    SalesSetupController, SalesSettingsController, ActivitiesController,
  ],
  providers: [
    SalesAccess, SalesEventPublisher, SalesSettings,
    AccountService, ContactService, LeadAssignmentService, LeadService, LeadCaptureService, SalesMethodService, OpportunityService,
    CompetitorService, PipelineService, ActivityService, OwnershipTransferService,
    LeadPoolReturnJob, ActivityReminderJob, BirthdayRemindersJob, CreateLeadOnCampaignResponse, CreateOpportunityOnAutomationRequest,
    SalesSettingsService, LeadImportService, Customer360Service, RecordCustomerTouches,
  ],
})
export class SalesModule {}
