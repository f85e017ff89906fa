import { ApiProperty } from '@nestjs/swagger';

export class TokenPairView {
  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';

  @ApiProperty({ description: 'JWT for `Authorization: Bearer …`' })
  accessToken: string;

  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn: number;

  @ApiProperty({ description: 'Opaque to the client; also set as the HttpOnly `refresh_token` cookie' })
  refreshToken: string;

  @ApiProperty({ example: 1209600, description: 'Seconds until the refresh token expires' })
  refreshExpiresIn: number;
}
