import type { components } from './openapi.js';

type Schemas = components['schemas'];

/** Request and response bodies, named after the service's OpenAPI schemas (src/openapi.ts is generated). */
export type SignupInput = Schemas['SignupDto'];
export type LoginInput = Schemas['LoginDto'];
export type TokenPair = Schemas['TokenPairView'];
export type User = Schemas['UserView'];
export type Session = Schemas['SessionView'];
export type AccessTokenClaims = Schemas['AccessTokenClaimsView'];
export type ErrorBody = Schemas['ErrorBody'];
/** Every machine-readable error code the service answers with. */
export type ErrorCode = ErrorBody['code'];
export type LogoutAllScope = NonNullable<Schemas['LogoutAllDto']['scope']>;
