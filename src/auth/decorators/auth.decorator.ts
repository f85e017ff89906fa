import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrors } from '../../common/api-errors.decorator.js';
import { BEARER_SCHEME } from '../../swagger.js';

/**
 * Marks a route (or controller) as needing an access token in Swagger. The check itself is the global
 * AccessTokenGuard, which every route passes through unless it is @Public().
 */
export const Auth = () => applyDecorators(ApiBearerAuth(BEARER_SCHEME), ApiErrors('missing_token', 'invalid_token', 'token_expired'));
