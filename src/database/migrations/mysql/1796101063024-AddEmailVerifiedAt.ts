import { MigrationInterface, QueryRunner } from "typeorm";

export class AddEmailVerifiedAt1796101063024 implements MigrationInterface {
    name = 'AddEmailVerifiedAt1796101063024'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`users\` ADD \`email_verified_at\` datetime(6) NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`email_verified_at\``);
    }

}
