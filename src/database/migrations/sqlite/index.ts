import { CreateUsers1795418849660 } from './1795418849660-CreateUsers.js';
import { CreateRefreshTokens1795419654814 } from './1795419654814-CreateRefreshTokens.js';
import { CreateSessions1795421758290 } from './1795421758290-CreateSessions.js';
import { CreateLoginFailures1795422675239 } from './1795422675239-CreateLoginFailures.js';
import { KeepSessionsOfDeletedUsers1795423028657 } from './1795423028657-KeepSessionsOfDeletedUsers.js';
import { CreateLinkTokens1796099993425 } from './1796099993425-CreateLinkTokens.js';
import { CreateMailOutbox1796099993426 } from './1796099993426-CreateMailOutbox.js';
import { AddEmailVerifiedAt1796101058824 } from './1796101058824-AddEmailVerifiedAt.js';
import { CreateSecurityEvents1796102053696 } from './1796102053696-CreateSecurityEvents.js';
import { KeyRefreshTokensByIssueTime1796190000000 } from './1796190000000-KeyRefreshTokensByIssueTime.js';

/** In order; the app runs pending ones at boot unless DATABASE_MIGRATIONS_RUN=false. */
export const SQLITE_MIGRATIONS = [
  CreateUsers1795418849660,
  CreateRefreshTokens1795419654814,
  CreateSessions1795421758290,
  CreateLoginFailures1795422675239,
  KeepSessionsOfDeletedUsers1795423028657,
  CreateLinkTokens1796099993425,
  CreateMailOutbox1796099993426,
  AddEmailVerifiedAt1796101058824,
  CreateSecurityEvents1796102053696,
  KeyRefreshTokensByIssueTime1796190000000,
];
