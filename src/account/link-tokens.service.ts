import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { mailConfig, type MailConfig } from '../config/mail.config.js';
import type { Statement } from '../database/atomic-writes.js';
import { LinkToken, type LinkPurpose } from './link-token.entity.js';

/** 256 bits: guessing one live token among all of them stays out of reach whatever the request rate. */
const TOKEN_BYTES = 32;

/** The page of the account site (ours or the product's) that opens each kind of link. */
const LINK_PAGES: Record<LinkPurpose, string> = {
  verify_email: 'verify-email',
  reset_password: 'reset-password',
  change_email: 'confirm-email-change',
};

/** A new link: the raw token (only its hash is stored), its URL, and the writes that store it. */
export interface IssuedLink {
  token: string;
  url: string;
  expiresAt: Date;
  statements: Statement[];
}

/** A live link as presented: who it is for, its payload, and the write that spends it. */
export interface RedeemableLink {
  userId: string;
  payload: string | null;
  /** Changes one row only if the token is still live when it runs: of two concurrent uses, exactly one commits. */
  spend: Statement;
}

/**
 * The one owner of `link_tokens`: single-use tokens of emailed links, for every purpose. Writes come back as
 * statements, so the caller commits them (AtomicWrites) together with what the link causes — the mail in the
 * outbox, the new password, the verified address.
 */
@Injectable()
export class LinkTokens {
  constructor(
    @InjectRepository(LinkToken) private readonly links: Repository<LinkToken>,
    private readonly clock: Clock,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  /** A new token for the user and purpose. It supersedes their unused ones of the purpose: only the latest mail's link works. */
  issue(userId: string, purpose: LinkPurpose, payload: string | null = null, now = this.clock.now()): IssuedLink {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.config.linkTtlSeconds[purpose] * 1000);
    return {
      token,
      url: this.url(purpose, token),
      expiresAt,
      statements: [
        this.revocation(userId, purpose, now),
        {
          // Stores nothing for a user id that does not exist: a reset asked for an unknown address runs this same
          // statement, so both cost the same (see AccountMails.passwordResetWithoutAccount).
          sql: 'INSERT INTO link_tokens (id, user_id, purpose, token_hash, payload, created_at, expires_at, used_at, superseded_at) SELECT ?, id, ?, ?, ?, ?, ?, NULL, NULL FROM users WHERE id = ?',
          params: [randomUUID(), purpose, hashLinkToken(token), payload, now, expiresAt, userId],
        },
      ],
    };
  }

  /**
   * The link behind a presented token if it is live now and of this purpose, else null. Unknown, used, expired,
   * superseded and other-purpose tokens all give null — callers answer `link_invalid` alike, telling nothing.
   */
  async redeemable(rawToken: string, purpose: LinkPurpose, now = this.clock.now()): Promise<RedeemableLink | null> {
    const row = await this.links.findOneBy({ tokenHash: hashLinkToken(rawToken) });
    if (!row || row.purpose !== purpose || row.usedAt || row.supersededAt || row.expiresAt.getTime() <= now.getTime()) return null;
    return {
      userId: row.userId,
      payload: row.payload,
      spend: {
        sql: 'UPDATE link_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND superseded_at IS NULL AND expires_at > ?',
        params: [now, row.id, now],
        mustChangeOne: true,
      },
    };
  }

  /** Kills the user's unused links of this purpose (reset links once the password changed by any route). */
  revocation(userId: string, purpose: LinkPurpose, now = this.clock.now()): Statement {
    return {
      sql: 'UPDATE link_tokens SET superseded_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL AND superseded_at IS NULL',
      params: [now, userId, purpose],
    };
  }

  /** The link to mail: the token goes in the fragment, which browsers never send to a server or in a Referer. */
  url(purpose: LinkPurpose, rawToken: string): string {
    return `${this.config.accountLinkBaseUrl}/${LINK_PAGES[purpose]}#token=${encodeURIComponent(rawToken)}`;
  }

  /** How long a new link of this purpose lives, for the mail's "expires in …" line. */
  ttlSeconds(purpose: LinkPurpose): number {
    return this.config.linkTtlSeconds[purpose];
  }
}

function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
