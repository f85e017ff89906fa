import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mailConfig, type MailConfig } from '../config/mail.config.js';
import { MailOutboxMessage } from './mail-outbox-message.entity.js';
import { MailOutboxMetrics } from './mail-outbox-metrics.js';
import { MailOutbox } from './mail-outbox.service.js';
import { MailSender } from './mail-sender.service.js';
import { createMailTransport, MailTransport } from './mail-transport.js';

/** Owns `mail_outbox`: other modules enqueue through MailOutbox; MailSender delivers in the background. */
@Module({
  imports: [TypeOrmModule.forFeature([MailOutboxMessage])],
  providers: [
    MailOutbox,
    MailSender,
    MailOutboxMetrics,
    { provide: MailTransport, inject: [mailConfig.KEY], useFactory: (config: MailConfig) => createMailTransport(config) },
  ],
  exports: [MailOutbox],
})
export class MailModule {}
