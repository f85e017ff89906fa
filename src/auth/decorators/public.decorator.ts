import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC } from '../guards/route-metadata.js';

/** The route needs no access token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
