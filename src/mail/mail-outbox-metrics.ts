import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { Metrics } from '../metrics/metrics.service.js';
import { MailOutboxMessage } from './mail-outbox-message.entity.js';

/** How much mail waits, and for how long: read from the outbox at each scrape. */
@Injectable()
export class MailOutboxMetrics implements OnModuleInit {
  constructor(
    @InjectRepository(MailOutboxMessage) private readonly outbox: Repository<MailOutboxMessage>,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('mail_outbox_pending', 'Messages waiting to be sent', () => this.outbox.countBy({ status: 'pending' }));
    this.metrics.gauge('mail_outbox_oldest_pending_age_seconds', 'Age of the oldest message waiting to be sent (0 when none)', async () => {
      const oldest = await this.outbox.findOne({ select: { createdAt: true }, where: { status: 'pending' }, order: { createdAt: 'ASC' } });
      return oldest ? (this.clock.now().getTime() - oldest.createdAt.getTime()) / 1000 : 0;
    });
  }
}
