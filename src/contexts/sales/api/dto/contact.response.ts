import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import { PREFERRED_CHANNELS, type Contact } from '../../domain/contact.entity.js';
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

export const toContactResponse = (c: Contact): ContactResponse => ({
  id: c.id,
  accountId: c.accountId,
  firstName: c.firstName,
  lastName: c.lastName,
  title: c.title,
  department: c.department,
  email: c.email,
  phone: c.phone,
  mobile: c.mobile,
  birthday: c.birthday,
  preferredChannel: c.preferredChannel,
  interests: c.interests,
  ownerId: c.ownerId,
  customFields: c.customFields,
  version: c.version,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});
