import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrors } from '../../common/api-errors.decorator.js';
import type { ErrorCode } from '../../common/error-codes.js';
import { BEARER_SCHEME } from '../../swagger.js';
import { Roles } from './roles.decorator.js';

const TOKEN_ERRORS: ErrorCode[] = ['missing_token', 'invalid_token', 'token_expired', 'token_revoked'];

/**
 * Documentation only: the route needs an access token. Every route not marked @Public() needs one whether or
 * not it carries this — the global AccessTokenGuard enforces it — so this adds the Swagger scheme and the 401s.
 */
export const Authenticated = () => applyDecorators(ApiBearerAuth(BEARER_SCHEME), ApiErrors(...TOKEN_ERRORS));

/** The caller needs an access token holding at least one of these roles (RolesGuard answers 403 otherwise). */
export const RequireRoles = (role: string, ...more: string[]) =>
  applyDecorators(Roles(role, ...more), ApiBearerAuth(BEARER_SCHEME), ApiErrors(...TOKEN_ERRORS, 'forbidden'));
