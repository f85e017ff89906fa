import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';

export class SignupDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254, description: 'Trimmed and lower-cased before it is stored' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email: string;

  @ApiProperty({ example: 'ada', pattern: '^[a-zA-Z0-9_.-]{3,32}$' })
  @IsString()
  @Matches(/^[a-zA-Z0-9_.-]{3,32}$/, { message: 'username must be 3-32 letters, digits, "_", "." or "-"' })
  username: string;

  @ApiProperty({ example: 'Ada Lovelace', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'name must not contain control characters' })
  name: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 8, maxLength: 128, description: 'Used exactly as typed: never trimmed or truncated' })
  @IsString()
  @Length(8, 128)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'password must not contain control characters' })
  password: string;
}
