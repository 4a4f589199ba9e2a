import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginRequest {
  @ApiProperty({ example: 'rep@example.com' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ example: 'correct horse battery staple', format: 'password' }) @IsString() @MinLength(1) @MaxLength(200) password: string;
}

export class RefreshRequest {
  @ApiProperty({ example: 'Yx0b6c2E…', description: 'The refresh token of the last login or refresh' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  refreshToken: string;
}

export class ChangePasswordRequest {
  @ApiProperty({ example: 'correct horse battery staple', format: 'password', description: 'The password the caller signs in with now' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  currentPassword: string;
  @ApiProperty({ example: 'a-new-long-passphrase', format: 'password' }) @IsString() @MinLength(8) @MaxLength(200) newPassword: string;
}
