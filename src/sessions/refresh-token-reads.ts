import { Injectable } from '@nestjs/common';
import { dateOf, RawReads, type RawRow } from '../database/raw-reads.js';
import { tokenUserOf, tokenUserSelect, type TokenUser } from '../users/user-columns.js';
import type { RefreshTokenKey } from './refresh-token-key.js';
import type { RefreshTokenState } from './refresh-token.policy.js';
import type { SessionState } from './session-validity.js';

/** A stored refresh token as rotation needs it. */
export interface RefreshTokenRow extends RefreshTokenState {
  id: string;
  userId: string;
  sessionId: string;
}

/** Everything one reissue decides on, from one query. */
export interface RotationSubject {
  token: RefreshTokenRow;
  /** Its successor, if it has one (only a spent token does). */
  successor: RefreshTokenState | null;
  /** Null when the session row is gone (purged). */
  session: (SessionState & { id: string }) | null;
  /** Null when the user is gone. */
  user: TokenUser | null;
}

/**
 * The reads of a reissue as one statement: the presented token's row by key, with its successor (parent_id is
 * unique), its session and its user joined in. Raw rows, no entities; prepared once on SQLite.
 */
const ROTATION_SUBJECT =
  'SELECT t.id AS t_id, t.user_id AS t_user_id, t.session_id AS t_session_id, t.expires_at AS t_expires_at, ' +
  't.used_at AS t_used_at, t.revoked_at AS t_revoked_at, ' +
  'c.id AS c_id, c.expires_at AS c_expires_at, c.used_at AS c_used_at, c.revoked_at AS c_revoked_at, ' +
  's.id AS s_id, s.last_used_at AS s_last_used_at, s.expires_at AS s_expires_at, s.revoked_at AS s_revoked_at, ' +
  `${tokenUserSelect('u', 'u_')} ` +
  'FROM refresh_tokens t ' +
  'LEFT JOIN refresh_tokens c ON c.parent_id = t.id ' +
  'LEFT JOIN sessions s ON s.id = t.session_id ' +
  'LEFT JOIN users u ON u.id = t.user_id ' +
  'WHERE t.created_at = ? AND t.token_hash = ?';

const TOKEN_BY_KEY =
  'SELECT id AS t_id, user_id AS t_user_id, session_id AS t_session_id, expires_at AS t_expires_at, used_at AS t_used_at, ' +
  'revoked_at AS t_revoked_at FROM refresh_tokens WHERE created_at = ? AND token_hash = ?';

/** The refresh_tokens reads of the hot paths; SessionsModule owns the table. */
@Injectable()
export class RefreshTokenReads {
  constructor(private readonly db: RawReads) {}

  async rotationSubject(key: RefreshTokenKey): Promise<RotationSubject | null> {
    const row = await this.db.first(ROTATION_SUBJECT, [key.createdAt, key.hash]);
    if (!row) return null;
    return {
      token: tokenOf(row),
      successor: row.c_id === null || row.c_id === undefined ? null : stateOf(row, 'c_'),
      session:
        row.s_id === null || row.s_id === undefined
          ? null
          : { id: row.s_id as string, lastUsedAt: dateOf(row.s_last_used_at)!, expiresAt: dateOf(row.s_expires_at)!, revokedAt: dateOf(row.s_revoked_at) },
      user: tokenUserOf(row, 'u_'),
    };
  }

  async byKey(key: RefreshTokenKey): Promise<RefreshTokenRow | null> {
    const row = await this.db.first(TOKEN_BY_KEY, [key.createdAt, key.hash]);
    return row ? tokenOf(row) : null;
  }
}

function tokenOf(row: RawRow): RefreshTokenRow {
  return { id: row.t_id as string, userId: row.t_user_id as string, sessionId: row.t_session_id as string, ...stateOf(row, 't_') };
}

function stateOf(row: RawRow, prefix: string): RefreshTokenState {
  return { expiresAt: dateOf(row[`${prefix}expires_at`])!, usedAt: dateOf(row[`${prefix}used_at`]), revokedAt: dateOf(row[`${prefix}revoked_at`]) };
}
