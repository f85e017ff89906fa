import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateMailOutbox1796099993426 implements MigrationInterface {
    name = 'CreateMailOutbox1796099993426'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "mail_outbox" ("id" varchar(36) PRIMARY KEY NOT NULL, "recipient" varchar(254) NOT NULL, "subject" varchar(255) NOT NULL, "text" text, "html" text, "status" varchar(16) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "next_attempt_at" datetime(6) NOT NULL, "claimed_by" varchar(36), "claimed_until" datetime(6), "created_at" datetime(6) NOT NULL, "expires_at" datetime(6), "sent_at" datetime(6), "last_error" varchar(255))`);
        await queryRunner.query(`CREATE INDEX "IDX_63513349650e25976f9ec6dcda" ON "mail_outbox" ("status", "next_attempt_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_63513349650e25976f9ec6dcda"`);
        await queryRunner.query(`DROP TABLE "mail_outbox"`);
    }

}
