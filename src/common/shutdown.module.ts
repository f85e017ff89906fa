import { Global, Module } from '@nestjs/common';
import { GracefulShutdown } from './graceful-shutdown.js';
import { InFlightRequests } from './in-flight-requests.js';

/** Global so that readiness (HealthModule) sees the shutdown phase. */
@Global()
@Module({ providers: [InFlightRequests, GracefulShutdown], exports: [InFlightRequests, GracefulShutdown] })
export class ShutdownModule {}
