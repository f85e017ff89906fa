import { ApiProperty } from '@nestjs/swagger';

export class TokenPairView {
  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  tokenType: 'Bearer';

  @ApiProperty({ description: 'JWT for `Authorization: Bearer …`', example: 'eyJhbGciOiJIUzI1NiIsImtpZCI6ImFjY2Vzcy0xIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl' })
  accessToken: string;

  @ApiProperty({ type: 'integer', example: 900, description: 'Seconds until the access token expires' })
  expiresIn: number;

  @ApiProperty({
    description: 'Opaque to the client; also set as the HttpOnly `refresh_token` cookie',
    example: 'eyJhbGciOiJIUzI1NiIsImtpZCI6InJlZnJlc2gtMSIsInR5cCI6InJ0K2p3dCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl',
  })
  refreshToken: string;

  @ApiProperty({ type: 'integer', example: 1209600, description: 'Seconds until the refresh token expires' })
  refreshExpiresIn: number;
}
