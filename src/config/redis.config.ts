import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
import { readEnv } from './env.js';

export class RedisEnv {
  /**
   * redis://host:6379 — when set, session revocations travel over Redis pub/sub and failed-login counters live
   * in Redis; unset, both use the database.
   */
  @IsOptional() @Matches(/^rediss?:\/\/.+/, { message: 'must look like redis://host:6379' })
  REDIS_URL?: string = undefined;
}

export const redisConfig = registerAs('redis', () => ({ url: readEnv(RedisEnv).REDIS_URL }));
export type RedisConfig = ReturnType<typeof redisConfig>;
