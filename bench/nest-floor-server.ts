/**
 * The floor the fixed design sets: the smallest NestJS 12 application with the same two routes, on the same Fastify,
 * as the NestJS documentation builds it — `GET /health` in a controller, and `GET /auth/whoami` behind
 * `AuthGuard('jwt')` from @nestjs/passport with a passport-jwt strategy (HS256 pinned, issuer, audience) whose
 * validate() returns the payload. No security headers, request ids, logger, shutdown gate, revocation check, key
 * rotation or error shape: what any NestJS + Passport service pays before it does any of that. Dividing our figures
 * by this one's tells how much of the gap to bare Fastify is ours; dividing this one's by bare Fastify's tells how
 * much the framework leaves.
 *
 *   ACCESS_TOKEN_SECRET=… PORT=3996 node --import tsx bench/nest-floor-server.ts
 */
import 'reflect-metadata';
import { Controller, Get, Injectable, Module, Req, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createSecretKey } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';

const secret = process.env.ACCESS_TOKEN_SECRET;
if (!secret) throw new Error('ACCESS_TOKEN_SECRET is required');

@Injectable()
class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor() {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: given a string, jsonwebtoken first tries it as a PEM public key on every
      // verification, throwing and catching an exception each time — a cost no tuned service would pay.
      secretOrKey: createSecretKey(Buffer.from(secret!, 'utf8')) as unknown as string,
      algorithms: ['HS256'],
      issuer: process.env.JWT_ISSUER ?? 'nest-token-auth',
      audience: process.env.JWT_AUDIENCE ?? 'nest-token-auth-api',
    });
  }

  validate(payload: Record<string, unknown>): Record<string, unknown> {
    return payload;
  }
}

@Controller()
class FloorController {
  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('auth/whoami')
  @UseGuards(AuthGuard('jwt'))
  whoami(@Req() request: { user: Record<string, unknown> }): Record<string, unknown> {
    return request.user;
  }
}

@Module({ imports: [PassportModule], controllers: [FloorController], providers: [JwtStrategy] })
class FloorModule {}

const app = await NestFactory.create<NestFastifyApplication>(FloorModule, new FastifyAdapter({ logger: false }), { logger: false });
await app.listen(Number(process.env.PORT ?? 3996), '127.0.0.1');
