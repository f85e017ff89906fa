import { CreateUsers1795418851963 } from './1795418851963-CreateUsers.js';
import { CreateRefreshTokens1795419657899 } from './1795419657899-CreateRefreshTokens.js';
import { CreateSessions1795421760170 } from './1795421760170-CreateSessions.js';
import { CreateLoginFailures1795422679199 } from './1795422679199-CreateLoginFailures.js';
import { KeepSessionsOfDeletedUsers1795423030946 } from './1795423030946-KeepSessionsOfDeletedUsers.js';
import { CreateLinkTokens1796099995418 } from './1796099995418-CreateLinkTokens.js';
import { CreateMailOutbox1796099995419 } from './1796099995419-CreateMailOutbox.js';
import { AddEmailVerifiedAt1796101063024 } from './1796101063024-AddEmailVerifiedAt.js';
import { CreateSecurityEvents1796102060486 } from './1796102060486-CreateSecurityEvents.js';
import { KeyRefreshTokensByIssueTime1796190000000 } from './1796190000000-KeyRefreshTokensByIssueTime.js';

/** In order; the app runs pending ones at boot unless DATABASE_MIGRATIONS_RUN=false. */
export const MYSQL_MIGRATIONS = [
  CreateUsers1795418851963,
  CreateRefreshTokens1795419657899,
  CreateSessions1795421760170,
  CreateLoginFailures1795422679199,
  KeepSessionsOfDeletedUsers1795423030946,
  CreateLinkTokens1796099995418,
  CreateMailOutbox1796099995419,
  AddEmailVerifiedAt1796101063024,
  CreateSecurityEvents1796102060486,
  KeyRefreshTokensByIssueTime1796190000000,
];
