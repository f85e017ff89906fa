import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:isPublic';

/** The route needs no access token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
