import { ApiProperty } from '@nestjs/swagger';
import type { DataScope, UserKind } from '../domain/actor.js';

export class TokenPairResponse {
  @ApiProperty({ description: 'JWT for `Authorization: Bearer`', example: 'eyJhbGciOiJIUzI1NiJ9…' }) accessToken: string;
  @ApiProperty({ description: 'Opaque; single use: each refresh returns a new one', example: 'Yx0b6c2E…' }) refreshToken: string;
  @ApiProperty({ example: 'Bearer', enum: ['Bearer'], enumName: 'TokenType' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Access token lifetime in seconds', example: 900 }) expiresIn: number;
}

export class MeResponse {
  @ApiProperty({ example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' }) id: string;
  @ApiProperty({ example: 'rep@example.com' }) email: string;
  @ApiProperty({ example: 'Rita Rep' }) name: string;
  @ApiProperty({ enum: ['employee', 'partner', 'customer', 'service'], enumName: 'UserKind' }) kind: UserKind;
  @ApiProperty({ type: String, nullable: true, example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' }) orgUnitId: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) accountId: string | null;
  @ApiProperty({ type: [String], example: ['sales-rep'] }) roles: string[];
  @ApiProperty({ type: [String], example: ['sales.*:*', 'identity.self:read'] }) permissions: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['own', 'team', 'subtree', 'all'] },
    example: { 'sales.*': 'own' },
  })
  dataScopes: Record<string, DataScope>;
  @ApiProperty({ enum: ['user', 'api-key'], enumName: 'ActorType', description: 'How the caller signed in' }) actorType: 'user' | 'api-key';
}
