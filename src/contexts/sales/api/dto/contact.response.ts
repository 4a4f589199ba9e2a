import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import { RecordView } from '../../../../platform/http/record-view.js';
import { PREFERRED_CHANNELS, Contact } from '../../domain/contact.entity.js';
import { CUSTOM_FIELDS_SCHEMA } from './common.js';

export class ContactResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ type: String, nullable: true }) firstName: string | null;
  @ApiProperty() lastName: string;
  @ApiProperty({ type: String, nullable: true }) title: string | null;
  @ApiProperty({ type: String, nullable: true }) department: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) mobile: string | null;
  @ApiProperty({ type: String, nullable: true, example: '1985-07-14' }) birthday: string | null;
  @ApiProperty({ enum: PREFERRED_CHANNELS, enumName: 'PreferredChannel', nullable: true }) preferredChannel: string | null;
  @ApiProperty({ type: [String] }) interests: string[];
  @ApiProperty({ format: 'uuid' }) ownerId: string;
  @ApiProperty(CUSTOM_FIELDS_SCHEMA) customFields: Record<string, unknown>;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ContactPage extends PageMetaDto {
  @ApiProperty({ type: [ContactResponse] }) items: ContactResponse[];
}

/** A contact as the API shows it: its own fields (see {@link RecordView}). */
export const CONTACT_VIEW = new RecordView<Contact, ContactResponse>(Contact, {
  id: true,
  accountId: true,
  firstName: true,
  lastName: true,
  title: true,
  department: true,
  email: true,
  phone: true,
  mobile: true,
  birthday: true,
  preferredChannel: true,
  interests: true,
  ownerId: true,
  customFields: true,
  version: true,
  createdAt: true,
  updatedAt: true,
});

export const toContactResponse = (c: Contact): ContactResponse => CONTACT_VIEW.toResponse(c);
