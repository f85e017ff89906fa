import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Written by hand: the generated table rebuild renames `users`, and SQLite then rewrites the foreign keys of
 * `sessions` and `refresh_tokens` to the temporary name. Adding a nullable column needs no rebuild.
 */
export class AddEmailVerifiedAt1796101058824 implements MigrationInterface {
    name = 'AddEmailVerifiedAt1796101058824'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "email_verified_at" datetime(6)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_verified_at"`);
    }

}
