import { MigrationInterface, QueryRunner } from "typeorm";

export class KeepSessionsOfDeletedUsers1795423028657 implements MigrationInterface {
    name = 'KeepSessionsOfDeletedUsers1795423028657'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_cf0880d3de1c5e4cb375ef160d"`);
        await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
        await queryRunner.query(`CREATE TABLE "temporary_sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" datetime(6) NOT NULL, "last_used_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45))`);
        await queryRunner.query(`INSERT INTO "temporary_sessions"("id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip" FROM "sessions"`);
        await queryRunner.query(`DROP TABLE "sessions"`);
        await queryRunner.query(`ALTER TABLE "temporary_sessions" RENAME TO "sessions"`);
        await queryRunner.query(`CREATE INDEX "IDX_cf0880d3de1c5e4cb375ef160d" ON "sessions" ("revoked_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `);
        await queryRunner.query(`DROP INDEX "IDX_cf0880d3de1c5e4cb375ef160d"`);
        await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
        await queryRunner.query(`CREATE TABLE "temporary_sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" datetime(6) NOT NULL, "last_used_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45))`);
        await queryRunner.query(`INSERT INTO "temporary_sessions"("id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip" FROM "sessions"`);
        await queryRunner.query(`DROP TABLE "sessions"`);
        await queryRunner.query(`ALTER TABLE "temporary_sessions" RENAME TO "sessions"`);
        await queryRunner.query(`CREATE INDEX "IDX_cf0880d3de1c5e4cb375ef160d" ON "sessions" ("revoked_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `);
        await queryRunner.query(`DROP INDEX "IDX_cf0880d3de1c5e4cb375ef160d"`);
        await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
        await queryRunner.query(`CREATE TABLE "temporary_sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36), "created_at" datetime(6) NOT NULL, "last_used_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45))`);
        await queryRunner.query(`INSERT INTO "temporary_sessions"("id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip" FROM "sessions"`);
        await queryRunner.query(`DROP TABLE "sessions"`);
        await queryRunner.query(`ALTER TABLE "temporary_sessions" RENAME TO "sessions"`);
        await queryRunner.query(`CREATE INDEX "IDX_cf0880d3de1c5e4cb375ef160d" ON "sessions" ("revoked_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `);
        await queryRunner.query(`DROP INDEX "IDX_cf0880d3de1c5e4cb375ef160d"`);
        await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
        await queryRunner.query(`CREATE TABLE "temporary_sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36), "created_at" datetime(6) NOT NULL, "last_used_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45), CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_sessions"("id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip" FROM "sessions"`);
        await queryRunner.query(`DROP TABLE "sessions"`);
        await queryRunner.query(`ALTER TABLE "temporary_sessions" RENAME TO "sessions"`);
        await queryRunner.query(`CREATE INDEX "IDX_cf0880d3de1c5e4cb375ef160d" ON "sessions" ("revoked_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DELETE FROM "sessions" WHERE "user_id" IS NULL`);
        await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
        await queryRunner.query(`DROP INDEX "IDX_cf0880d3de1c5e4cb375ef160d"`);
        await queryRunner.query(`ALTER TABLE "sessions" RENAME TO "temporary_sessions"`);
        await queryRunner.query(`CREATE TABLE "sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36), "created_at" datetime(6) NOT NULL, "last_used_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45))`);
        await queryRunner.query(`INSERT INTO "sessions"("id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip" FROM "temporary_sessions"`);
        await queryRunner.query(`DROP TABLE "temporary_sessions"`);
        await queryRunner.query(`CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cf0880d3de1c5e4cb375ef160d" ON "sessions" ("revoked_at") `);
        await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
        await queryRunner.query(`DROP INDEX "IDX_cf0880d3de1c5e4cb375ef160d"`);
        await queryRunner.query(`ALTER TABLE "sessions" RENAME TO "temporary_sessions"`);
        await queryRunner.query(`CREATE TABLE "sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" datetime(6) NOT NULL, "last_used_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45))`);
        await queryRunner.query(`INSERT INTO "sessions"("id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip" FROM "temporary_sessions"`);
        await queryRunner.query(`DROP TABLE "temporary_sessions"`);
        await queryRunner.query(`CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cf0880d3de1c5e4cb375ef160d" ON "sessions" ("revoked_at") `);
        await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
        await queryRunner.query(`DROP INDEX "IDX_cf0880d3de1c5e4cb375ef160d"`);
        await queryRunner.query(`ALTER TABLE "sessions" RENAME TO "temporary_sessions"`);
        await queryRunner.query(`CREATE TABLE "sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" datetime(6) NOT NULL, "last_used_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45))`);
        await queryRunner.query(`INSERT INTO "sessions"("id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip" FROM "temporary_sessions"`);
        await queryRunner.query(`DROP TABLE "temporary_sessions"`);
        await queryRunner.query(`CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cf0880d3de1c5e4cb375ef160d" ON "sessions" ("revoked_at") `);
        await queryRunner.query(`DROP INDEX "IDX_085d540d9f418cfbdc7bd55bb1"`);
        await queryRunner.query(`DROP INDEX "IDX_cf0880d3de1c5e4cb375ef160d"`);
        await queryRunner.query(`ALTER TABLE "sessions" RENAME TO "temporary_sessions"`);
        await queryRunner.query(`CREATE TABLE "sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" datetime(6) NOT NULL, "last_used_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "revoked_at" datetime(6), "revoked_reason" varchar(32), "user_agent" varchar(255), "ip" varchar(45), CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "sessions"("id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip") SELECT "id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at", "revoked_reason", "user_agent", "ip" FROM "temporary_sessions"`);
        await queryRunner.query(`DROP TABLE "temporary_sessions"`);
        await queryRunner.query(`CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cf0880d3de1c5e4cb375ef160d" ON "sessions" ("revoked_at") `);
    }

}
