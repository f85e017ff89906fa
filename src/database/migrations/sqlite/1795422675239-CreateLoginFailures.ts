import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateLoginFailures1795422675239 implements MigrationInterface {
    name = 'CreateLoginFailures1795422675239'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "login_failures" ("key" varchar(64) PRIMARY KEY NOT NULL, "failures" integer NOT NULL, "window_ends_at" bigint NOT NULL)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "login_failures"`);
    }

}
