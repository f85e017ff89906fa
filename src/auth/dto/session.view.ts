import { ApiProperty } from '@nestjs/swagger';
import type { Session } from '../../sessions/session.entity.js';

export class SessionView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', description: 'Last login or reissue' })
  lastUsedAt: Date;

  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0 …' })
  userAgent: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip: string | null;

  @ApiProperty({ description: 'True for the session of the access token making this request' })
  current: boolean;

  static from(session: Session, currentSessionId: string): SessionView {
    const { id, createdAt, lastUsedAt, userAgent, ip } = session;
    return { id, createdAt, lastUsedAt, userAgent, ip, current: id === currentSessionId };
  }
}
