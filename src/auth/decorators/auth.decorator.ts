import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrors } from '../../common/api-errors.decorator.js';
import type { ErrorCode } from '../../common/error-codes.js';
import { BEARER_SCHEME } from '../../swagger.js';
import { Roles } from './roles.decorator.js';

const TOKEN_ERRORS: ErrorCode[] = ['missing_token', 'invalid_token', 'token_expired', 'token_revoked'];

/**
 * Marks a route (or controller) as needing an access token, and with `roles` one of those roles (403 otherwise).
 * The checks themselves are the global AccessTokenGuard (every route unless @Public()) and RolesGuard;
 * this adds the roles metadata and the Swagger documentation.
 */
export const Auth = (...roles: string[]) =>
  roles.length === 0
    ? applyDecorators(ApiBearerAuth(BEARER_SCHEME), ApiErrors(...TOKEN_ERRORS))
    : applyDecorators(Roles(...roles), ApiBearerAuth(BEARER_SCHEME), ApiErrors(...TOKEN_ERRORS, 'forbidden'));
