import { MigrationInterface, QueryRunner } from "typeorm";

const COLUMNS = `"id", "user_id", "session_id", "token_hash", "parent_id", "created_at", "expires_at", "used_at", "revoked_at", "revoked_reason", "user_agent", "ip"`;

/** The table as it is, with or without the UNIQUE constraint on token_hash alone. */
const table = (name: string, tokenHashUnique: boolean) =>
    `CREATE TABLE "${name}" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "session_id" varchar(36) NOT NULL, "token_hash" varchar(64) NOT NULL, "parent_id" varchar(36), "created_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "used_at" datetime(6), "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45), CONSTRAINT "UQ_5a8e126b7a91b145aa651af5507" UNIQUE ("parent_id"), ${tokenHashUnique ? `CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"), ` : ''}CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_3bf308fa93da3966f9e76fcfba4" FOREIGN KEY ("session_id") REFERENCES "sessions" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`;

/**
 * Refresh tokens are found by (created_at, token_hash) instead of token_hash alone: created_at is the token's iat,
 * so the key is time-ordered. Written by hand: SQLite drops a table constraint only by rebuilding the table, and
 * the generated rebuild kept the constraint. Nothing references refresh_tokens, so the rebuild renames nothing else.
 */
export class KeyRefreshTokensByIssueTime1796190000000 implements MigrationInterface {
    name = 'KeyRefreshTokensByIssueTime1796190000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await this.rebuild(queryRunner, false);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_5d5693e758450358cbb4b6c2a2" ON "refresh_tokens" ("created_at", "token_hash") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_5d5693e758450358cbb4b6c2a2"`);
        await this.rebuild(queryRunner, true);
    }

    private async rebuild(queryRunner: QueryRunner, tokenHashUnique: boolean): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_3bf308fa93da3966f9e76fcfba"`);
        await queryRunner.query(table('temporary_refresh_tokens', tokenHashUnique));
        await queryRunner.query(`INSERT INTO "temporary_refresh_tokens"(${COLUMNS}) SELECT ${COLUMNS} FROM "refresh_tokens"`);
        await queryRunner.query(`DROP TABLE "refresh_tokens"`);
        await queryRunner.query(`ALTER TABLE "temporary_refresh_tokens" RENAME TO "refresh_tokens"`);
        await queryRunner.query(`CREATE INDEX "IDX_3bf308fa93da3966f9e76fcfba" ON "refresh_tokens" ("session_id") `);
    }

}
