import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateLinkTokens1796099993425 implements MigrationInterface {
    name = 'CreateLinkTokens1796099993425'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "link_tokens" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "purpose" varchar(16) NOT NULL, "token_hash" varchar(64) NOT NULL, "payload" varchar(254), "created_at" datetime(6) NOT NULL, "expires_at" datetime(6) NOT NULL, "used_at" datetime(6), "superseded_at" datetime(6), CONSTRAINT "UQ_5afe558035607d5f3bcf6322f87" UNIQUE ("token_hash"), CONSTRAINT "FK_0199eba299e0db9467e63c14fe0" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`CREATE INDEX "IDX_95662740bae8263f0c38ce5119" ON "link_tokens" ("user_id", "purpose") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_95662740bae8263f0c38ce5119"`);
        await queryRunner.query(`DROP TABLE "link_tokens"`);
    }

}
