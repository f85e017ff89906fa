import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateSessions1795421758290 implements MigrationInterface {
    name = 'CreateSessions1795421758290'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" datetime(6) NOT NULL, "last_used_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45))`);
        // Existing token families become sessions; each ends when its newest refresh token would.
        await queryRunner.query(`INSERT INTO "sessions" ("id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "session_id", MIN("user_id"), MIN("created_at"), MAX("created_at"), MAX("expires_at"), MAX("revoked_at"), MAX("revoked_reason"), MIN("user_agent"), MIN("ip") FROM "refresh_tokens" GROUP BY "session_id"`);
        await queryRunner.query(`CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cf0880d3de1c5e4cb375ef160d" ON "sessions" ("revoked_at") `);
        await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
        await queryRunner.query(`DROP INDEX "IDX_cf0880d3de1c5e4cb375ef160d"`);
        await queryRunner.query(`CREATE TABLE "temporary_sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" datetime(6) NOT NULL, "last_used_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45), CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_sessions"("id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip" FROM "sessions"`);
        await queryRunner.query(`DROP TABLE "sessions"`);
        await queryRunner.query(`ALTER TABLE "temporary_sessions" RENAME TO "sessions"`);
        await queryRunner.query(`CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cf0880d3de1c5e4cb375ef160d" ON "sessions" ("revoked_at") `);
        await queryRunner.query(`DROP INDEX "IDX_3bf308fa93da3966f9e76fcfba"`);
        await queryRunner.query(`CREATE TABLE "temporary_refresh_tokens" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "session_id" varchar(36) NOT NULL, "token_hash" varchar(64) NOT NULL, "parent_id" varchar(36), "created_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "used_at" datetime(6), "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45), CONSTRAINT "UQ_5a8e126b7a91b145aa651af5507" UNIQUE ("parent_id"), CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"), CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_3bf308fa93da3966f9e76fcfba4" FOREIGN KEY ("session_id") REFERENCES "sessions" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_refresh_tokens"("id", "user_id", "session_id", "token_hash", "parent_id", "created_at", "expires_at", "used_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "id", "user_id", "session_id", "token_hash", "parent_id", "created_at", "expires_at", "used_at", "revoked_at", "revoked_reason", "user_agent", "ip" FROM "refresh_tokens"`);
        await queryRunner.query(`DROP TABLE "refresh_tokens"`);
        await queryRunner.query(`ALTER TABLE "temporary_refresh_tokens" RENAME TO "refresh_tokens"`);
        await queryRunner.query(`CREATE INDEX "IDX_3bf308fa93da3966f9e76fcfba" ON "refresh_tokens" ("session_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_3bf308fa93da3966f9e76fcfba"`);
        await queryRunner.query(`ALTER TABLE "refresh_tokens" RENAME TO "temporary_refresh_tokens"`);
        await queryRunner.query(`CREATE TABLE "refresh_tokens" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "session_id" varchar(36) NOT NULL, "token_hash" varchar(64) NOT NULL, "parent_id" varchar(36), "created_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "used_at" datetime(6), "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45), CONSTRAINT "UQ_5a8e126b7a91b145aa651af5507" UNIQUE ("parent_id"), CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"), CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "refresh_tokens"("id", "user_id", "session_id", "token_hash", "parent_id", "created_at", "expires_at", "used_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "id", "user_id", "session_id", "token_hash", "parent_id", "created_at", "expires_at", "used_at", "revoked_at", "revoked_reason", "user_agent", "ip" FROM "temporary_refresh_tokens"`);
        await queryRunner.query(`DROP TABLE "temporary_refresh_tokens"`);
        await queryRunner.query(`CREATE INDEX "IDX_3bf308fa93da3966f9e76fcfba" ON "refresh_tokens" ("session_id") `);
        await queryRunner.query(`DROP INDEX "IDX_cf0880d3de1c5e4cb375ef160d"`);
        await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
        await queryRunner.query(`ALTER TABLE "sessions" RENAME TO "temporary_sessions"`);
        await queryRunner.query(`CREATE TABLE "sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" datetime(6) NOT NULL, "last_used_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45))`);
        await queryRunner.query(`INSERT INTO "sessions"("id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip" FROM "temporary_sessions"`);
        await queryRunner.query(`DROP TABLE "temporary_sessions"`);
        await queryRunner.query(`CREATE INDEX "IDX_cf0880d3de1c5e4cb375ef160d" ON "sessions" ("revoked_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `);
        await queryRunner.query(`DROP INDEX "IDX_cf0880d3de1c5e4cb375ef160d"`);
        await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
        await queryRunner.query(`DROP TABLE "sessions"`);
    }

}
