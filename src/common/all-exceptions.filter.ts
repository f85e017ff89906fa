import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DatabaseAvailability } from '../database/database-availability.js';
import { toErrorResponse } from './error-response.js';

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(private readonly database: DatabaseAvailability) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const response = toErrorResponse(exception);
    // An outage is logged once per transition and summarised (DatabaseAvailability), not a stack per request.
    if (response.databaseUnavailable) this.database.rejected(response.databaseUnavailable);
    else if (response.unexpected) this.logger.error(exception);
    void reply.status(response.status).headers(response.headers).send(response.body);
  }
}
