import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, IsNull, MoreThan } from 'typeorm';
import { mailConfig, type MailConfig } from '../config/mail.config.js';
import { LinkToken, type LinkPurpose } from './link-token.entity.js';

/** 256 bits: guessing one live token among all of them stays out of reach whatever the request rate. */
const TOKEN_BYTES = 32;

/** The page of the account site (ours or the product's) that opens each kind of link. */
const LINK_PAGES: Record<LinkPurpose, string> = {
  verify_email: 'verify-email',
  reset_password: 'reset-password',
  change_email: 'confirm-email-change',
};

export interface ConsumedLink {
  userId: string;
  payload: string | null;
}

/**
 * The single-use tokens of emailed links, for every purpose. Each method takes the caller's EntityManager, so the
 * token is written or spent in the same transaction as what it causes (the mail in the outbox, the new password).
 */
@Injectable()
export class LinkTokens {
  constructor(@Inject(mailConfig.KEY) private readonly config: MailConfig) {}

  /**
   * Makes a new token for the user and purpose and returns it raw (it is stored only hashed): put it in the link and
   * forget it. Older unused tokens of the same purpose stop working, so only the latest mail's link does.
   */
  async issue(manager: EntityManager, userId: string, purpose: LinkPurpose, payload: string | null = null, now = new Date()): Promise<string> {
    await this.revokeAll(manager, userId, purpose, now);
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    await manager.insert(LinkToken, {
      id: randomUUID(),
      userId,
      purpose,
      tokenHash: hashLinkToken(token),
      payload,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.linkTtlSeconds[purpose] * 1000),
      usedAt: null,
      supersededAt: null,
    });
    return token;
  }

  /**
   * Spends the token if it is live and of this purpose: one conditional UPDATE, so of two concurrent uses exactly
   * one wins. Unknown, used, expired, superseded or other-purpose tokens all give null — callers answer
   * `link_invalid` alike, telling an attacker nothing about which it was.
   */
  async consume(manager: EntityManager, rawToken: string, purpose: LinkPurpose, now = new Date()): Promise<ConsumedLink | null> {
    const tokenHash = hashLinkToken(rawToken);
    const spent = await manager.update(
      LinkToken,
      { tokenHash, purpose, usedAt: IsNull(), supersededAt: IsNull(), expiresAt: MoreThan(now) },
      { usedAt: now },
    );
    if (spent.affected !== 1) return null;
    const row = await manager.findOneByOrFail(LinkToken, { tokenHash });
    return { userId: row.userId, payload: row.payload };
  }

  /** Kills the user's unused tokens of this purpose (e.g. reset links once the password changed by any route). */
  async revokeAll(manager: EntityManager, userId: string, purpose: LinkPurpose, now = new Date()): Promise<void> {
    await manager.update(LinkToken, { userId, purpose, usedAt: IsNull(), supersededAt: IsNull() }, { supersededAt: now });
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
