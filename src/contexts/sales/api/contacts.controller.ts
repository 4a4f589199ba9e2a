import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { IfMatch } from '../../../platform/http/etag.js';
import type { RenderedJson } from '../../../platform/http/record-view.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { ContactService } from '../application/contact.service.js';
import { ContactListQuery, CreateContactRequest, UpdateContactRequest } from './dto/contact.request.js';
import { CONTACT_VIEW, ContactPage, ContactResponse, toContactResponse } from './dto/contact.response.js';

@ApiTags('sales')
@Controller('api/v1/sales/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactService) {}

  @Post()
  @Endpoint({
    operationId: 'sales_createContact',
    summary: 'Create a contact at an account',
    description: 'Refuses with 409 `sales.contact.possible-duplicate` listing `candidates` (same email or phone) unless `force` is true. `candidates` lists only the matches you can see; the number of the others (`hiddenCandidates`) is in the answer only when the Sales setting `duplicateCheckRevealHiddenCandidates` is on (default off: absent). The owner defaults to the account’s owner. An `accountId` or `ownerId` that does not exist or is outside your data scope → 422 (`sales.account.unknown`, `sales.owner.unknown-user`) naming the field.',
    permission: 'sales.contact:create',
    errors: [409, 422],
    idempotent: true,
  })
  @ApiCreatedResponse({ type: ContactResponse })
  async create(@CurrentActor() actor: Actor, @Body() { force, ...body }: CreateContactRequest): Promise<ContactResponse> {
    return toContactResponse(await this.contacts.create(actor, body, force));
  }

  @Get()
  @Endpoint({ operationId: 'sales_listContacts', summary: 'List contacts in your data scope', permission: 'sales.contact:read' })
  @ApiOkResponse({ type: ContactPage })
  async list(@CurrentActor() actor: Actor, @Query() query: ContactListQuery): Promise<RenderedJson> {
    return this.contacts.list(actor, query, CONTACT_VIEW);
  }

  @Get(':id')
  @Endpoint({ operationId: 'sales_getContact', summary: 'Get a contact', permission: 'sales.contact:read', errors: [404] })
  @ApiOkResponse({ type: ContactResponse })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<RenderedJson> {
    return this.contacts.getRendered(actor, id, CONTACT_VIEW);
  }

  @Patch(':id')
  @Endpoint({ operationId: 'sales_updateContact', summary: 'Update a contact', permission: 'sales.contact:update', errors: [404, 422], ifMatch: true })
  @ApiOkResponse({ type: ContactResponse })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateContactRequest,
    @IfMatch() version?: number,
  ): Promise<ContactResponse> {
    return toContactResponse(await this.contacts.update(actor, id, version, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @Endpoint({ operationId: 'sales_deleteContact', summary: 'Delete a contact', permission: 'sales.contact:delete', errors: [404], ifMatch: true })
  @ApiNoContentResponse({ description: 'Deleted' })
  async delete(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @IfMatch() version?: number): Promise<void> {
    await this.contacts.delete(actor, id, version);
  }
}
