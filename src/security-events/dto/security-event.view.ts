import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SECURITY_EVENT_TYPES, type SecurityEvent, type SecurityEventType } from '../security-event.entity.js';
import type { SecurityEventPage } from '../security-events.service.js';

/** One event of the caller's own activity: what, when, from where. */
export class SecurityEventView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: SECURITY_EVENT_TYPES })
  type: SecurityEventType;

  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt: Date;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  sessionId: string | null;

  @ApiProperty({ description: '`user`, `admin:<id>`, `system` or `cli`', example: 'user' })
  actor: string;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, example: { reason: 'logout' } })
  detail: Record<string, unknown> | null;

  static from(event: SecurityEvent): SecurityEventView {
    const { id, type, occurredAt, sessionId, actor, ip, userAgent } = event;
    return { id, type, occurredAt, sessionId, actor, ip, userAgent, detail: event.detail ? (JSON.parse(event.detail) as Record<string, unknown>) : null };
  }
}

export class AdminSecurityEventView extends SecurityEventView {
  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  userId: string | null;

  static override from(event: SecurityEvent): AdminSecurityEventView {
    return { ...SecurityEventView.from(event), userId: event.userId };
  }
}

export class SecurityEventPageView {
  @ApiProperty({ type: [SecurityEventView] })
  items: SecurityEventView[];

  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next, older page; absent on the last page' })
  nextCursor?: string;

  static from(page: SecurityEventPage): SecurityEventPageView {
    return { items: page.items.map((event) => SecurityEventView.from(event)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }
}

export class AdminSecurityEventPageView {
  @ApiProperty({ type: [AdminSecurityEventView] })
  items: AdminSecurityEventView[];

  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next, older page; absent on the last page' })
  nextCursor?: string;

  static from(page: SecurityEventPage): AdminSecurityEventPageView {
    return { items: page.items.map((event) => AdminSecurityEventView.from(event)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }
}
