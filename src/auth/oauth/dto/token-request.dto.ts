import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { TOKEN_TYPE_HINTS } from '../oauth-token.js';

/** The body of /oauth/revoke (RFC 7009 §2.1) and /oauth/introspect (RFC 7662 §2.1), form-encoded or JSON. */
export class TokenRequestDto {
  @ApiProperty({ description: 'An access or refresh token issued by this service', example: 'eyJhbGciOiJIUzI1NiIs…' })
  @IsString()
  @IsNotEmpty()
  token: string;

  @ApiPropertyOptional({
    enum: TOKEN_TYPE_HINTS,
    description: 'Which kind `token` is. Only the search order depends on it: a wrong or unknown hint is ignored.',
  })
  @IsOptional()
  @IsString()
  token_type_hint?: string;

  @ApiPropertyOptional({ description: 'Accepted and ignored: public clients may send it (RFC 7009 §2.1), but there are no registered clients' })
  @IsOptional()
  @IsString()
  client_id?: string;
}
