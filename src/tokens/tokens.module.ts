import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { KeyRing } from './key-ring.service.js';
import { TokenSigner } from './token-signer.service.js';

/** Signing and verifying tokens with our keys; no database. */
@Module({
  imports: [JwtModule.register({})],
  providers: [KeyRing, TokenSigner],
  exports: [KeyRing, TokenSigner],
})
export class TokensModule {}
