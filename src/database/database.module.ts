import { Global, Module } from '@nestjs/common';
import { DatabaseAvailability } from './database-availability.js';

/** Global so that the exception filter and the health check see the one DatabaseAvailability. */
@Global()
@Module({ providers: [DatabaseAvailability], exports: [DatabaseAvailability] })
export class DatabaseModule {}
