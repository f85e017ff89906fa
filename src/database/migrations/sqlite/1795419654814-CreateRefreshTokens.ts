import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateRefreshTokens1795419654814 implements MigrationInterface {
    name = 'CreateRefreshTokens1795419654814'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "refresh_tokens" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "session_id" varchar(36) NOT NULL, "token_hash" varchar(64) NOT NULL, "parent_id" varchar(36), "created_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "used_at" datetime(6), "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45), CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"), CONSTRAINT "UQ_5a8e126b7a91b145aa651af5507" UNIQUE ("parent_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_3bf308fa93da3966f9e76fcfba" ON "refresh_tokens" ("session_id") `);
        await queryRunner.query(`DROP INDEX "IDX_3bf308fa93da3966f9e76fcfba"`);
        await queryRunner.query(`CREATE TABLE "temporary_refresh_tokens" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "session_id" varchar(36) NOT NULL, "token_hash" varchar(64) NOT NULL, "parent_id" varchar(36), "created_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "used_at" datetime(6), "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45), CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"), CONSTRAINT "UQ_5a8e126b7a91b145aa651af5507" UNIQUE ("parent_id"), CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_refresh_tokens"("id", "user_id", "session_id", "token_hash", "parent_id", "created_at", "expires_at", "used_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "id", "user_id", "session_id", "token_hash", "parent_id", "created_at", "expires_at", "used_at", "revoked_at", "revoked_reason", "user_agent", "ip" FROM "refresh_tokens"`);
        await queryRunner.query(`DROP TABLE "refresh_tokens"`);
        await queryRunner.query(`ALTER TABLE "temporary_refresh_tokens" RENAME TO "refresh_tokens"`);
        await queryRunner.query(`CREATE INDEX "IDX_3bf308fa93da3966f9e76fcfba" ON "refresh_tokens" ("session_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_3bf308fa93da3966f9e76fcfba"`);
        await queryRunner.query(`ALTER TABLE "refresh_tokens" RENAME TO "temporary_refresh_tokens"`);
        await queryRunner.query(`CREATE TABLE "refresh_tokens" ("id" varchar PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "session_id" varchar(36) NOT NULL, "token_hash" varchar(64) NOT NULL, "parent_id" varchar(36), "created_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "used_at" datetime(6), "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45), CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"), CONSTRAINT "UQ_5a8e126b7a91b145aa651af5507" UNIQUE ("parent_id"))`);
        await queryRunner.query(`INSERT INTO "refresh_tokens"("id", "user_id", "session_id", "token_hash", "parent_id", "created_at", "expires_at", "used_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "id", "user_id", "session_id", "token_hash", "parent_id", "created_at", "expires_at", "used_at", "revoked_at", "revoked_reason", "user_agent", "ip" FROM "temporary_refresh_tokens"`);
        await queryRunner.query(`DROP TABLE "temporary_refresh_tokens"`);
        await queryRunner.query(`CREATE INDEX "IDX_3bf308fa93da3966f9e76fcfba" ON "refresh_tokens" ("session_id") `);
        await queryRunner.query(`DROP INDEX "IDX_3bf308fa93da3966f9e76fcfba"`);
        await queryRunner.query(`DROP TABLE "refresh_tokens"`);
    }

}
