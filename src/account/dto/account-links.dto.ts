import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A token from an account mail's link (the part after `#token=`). */
export class LinkTokenDto {
  @ApiProperty({ description: 'The token from the link in the mail', example: 'q3N0c2VjcmV0LW5vdC1hLXJlYWwtdG9rZW4tZXhhbXBsZQ' })
  @IsString()
  @Length(1, 256)
  token: string;
}

export class EmailAddressDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email: string;
}

export class ResetPasswordDto extends LinkTokenDto {
  @ApiProperty({ example: 'correct horse battery staple', minLength: 8, maxLength: 128, description: 'Used exactly as typed: never trimmed or truncated' })
  @IsString()
  @Length(8, 128)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'newPassword must not contain control characters' })
  newPassword: string;
}

export class ChangeEmailDto {
  @ApiProperty({ example: 'ada@new.example.com', maxLength: 254, description: 'The new address; a confirmation link goes to it' })
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  @IsEmail()
  newEmail: string;

  @ApiProperty({ description: 'The current password, to confirm' })
  @IsString()
  @Length(1, 128)
  password: string;
}
