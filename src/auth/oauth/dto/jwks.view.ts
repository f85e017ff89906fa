import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACCESS_TOKEN_ALGORITHMS } from '../../../config/tokens.config.js';
import type { PublicJwk } from '../../../tokens/key-ring.service.js';

/** Every asymmetric algorithm a published key can have (HS256 keys are never published). */
const PUBLISHED_ALGORITHMS = ACCESS_TOKEN_ALGORITHMS.filter((algorithm) => algorithm !== 'HS256');

/** One public key (RFC 7517 §4); private members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`) never appear. */
export class PublicJwkView implements PublicJwk {
  @ApiProperty({ enum: ['EC', 'OKP', 'RSA'] })
  kty: string;

  @ApiPropertyOptional({ description: 'EC and OKP keys', example: 'P-256' })
  crv?: string;

  @ApiPropertyOptional({ description: 'EC and OKP keys' })
  x?: string;

  @ApiPropertyOptional({ description: 'EC keys' })
  y?: string;

  @ApiPropertyOptional({ description: 'RSA keys' })
  n?: string;

  @ApiPropertyOptional({ description: 'RSA keys' })
  e?: string;

  @ApiProperty({ description: 'RFC 7638 thumbprint of the key; the `kid` header of tokens it verifies' })
  kid: string;

  @ApiProperty({ enum: PUBLISHED_ALGORITHMS })
  alg: PublicJwk['alg'];

  @ApiProperty({ enum: ['sig'] })
  use: 'sig';
}

/** RFC 7517 §5 JWK Set. */
export class JwksView {
  @ApiProperty({ type: [PublicJwkView], description: 'Empty when access tokens are HS256' })
  keys: PublicJwkView[];
}
