import { Global, Module } from '@nestjs/common';
import { AtomicWrites } from './atomic-writes.js';
import { RawReads } from './raw-reads.js';
import { DatabaseAvailability } from './database-availability.js';

/**
 * Global: every owner of a table builds its statements for AtomicWrites, and the exception filter and the health
 * check see the one DatabaseAvailability.
 */
@Global()
@Module({ providers: [DatabaseAvailability, AtomicWrites, RawReads], exports: [DatabaseAvailability, AtomicWrites, RawReads] })
export class DatabaseModule {}
