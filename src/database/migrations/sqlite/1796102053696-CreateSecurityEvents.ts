import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateSecurityEvents1796102053696 implements MigrationInterface {
    name = 'CreateSecurityEvents1796102053696'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "security_events" ("id" varchar(36) PRIMARY KEY NOT NULL, "occurred_at" datetime(6) NOT NULL, "type" varchar(32) NOT NULL, "user_id" varchar(36), "session_id" varchar(36), "actor" varchar(48) NOT NULL, "ip" varchar(45), "user_agent" varchar(255), "detail" varchar(1024))`);
        await queryRunner.query(`CREATE INDEX "IDX_3127c95cf1ce68df0d5969b5cf" ON "security_events" ("occurred_at", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_23d18f120ad661d8884ec0d83e" ON "security_events" ("type", "occurred_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_6ba1d397cf312c02da23392c1c" ON "security_events" ("user_id", "occurred_at", "id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_6ba1d397cf312c02da23392c1c"`);
        await queryRunner.query(`DROP INDEX "IDX_23d18f120ad661d8884ec0d83e"`);
        await queryRunner.query(`DROP INDEX "IDX_3127c95cf1ce68df0d5969b5cf"`);
        await queryRunner.query(`DROP TABLE "security_events"`);
    }

}
