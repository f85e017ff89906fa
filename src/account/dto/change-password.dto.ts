import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 128)
  currentPassword: string;

  @ApiProperty({ minLength: 8, maxLength: 128, description: 'Used exactly as typed: never trimmed or truncated' })
  @IsString()
  @Length(8, 128)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'newPassword must not contain control characters' })
  newPassword: string;
}

export class DeleteAccountDto {
  @ApiProperty({ description: 'The current password, to confirm' })
  @IsString()
  @Length(1, 128)
  password: string;
}
