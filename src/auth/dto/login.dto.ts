import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

// MariaDB's unicode collations ignore control characters: 'a\0b' would find the user 'ab'.
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

export class LoginDto {
  @ApiProperty({ example: 'ada', description: 'Username or email address' })
  @IsString()
  @Length(1, 254)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'login must not contain control characters' })
  login: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @Length(1, 128)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'password must not contain control characters' })
  password: string;
}
