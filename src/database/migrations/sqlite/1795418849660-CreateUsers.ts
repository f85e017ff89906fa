import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateUsers1795418849660 implements MigrationInterface {
    name = 'CreateUsers1795418849660'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "users" ("id" varchar PRIMARY KEY NOT NULL, "email" varchar(254) NOT NULL, "username" varchar(32) NOT NULL, "username_key" varchar(32) NOT NULL, "name" varchar(100) NOT NULL, "password_hash" varchar(255) NOT NULL, "roles" text NOT NULL, "disabled" boolean NOT NULL DEFAULT (0), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "password_changed_at" datetime(6) NOT NULL, CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"), CONSTRAINT "UQ_43f388ec81c5e6e796845dad903" UNIQUE ("username_key"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "users"`);
    }

}
