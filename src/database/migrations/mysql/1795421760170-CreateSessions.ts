import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateSessions1795421760170 implements MigrationInterface {
    name = 'CreateSessions1795421760170'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`sessions\` (\`id\` varchar(36) NOT NULL, \`user_id\` varchar(36) NOT NULL, \`created_at\` datetime(6) NOT NULL, \`last_used_at\` datetime(6) NOT NULL, \`expires_at\` datetime(6) NOT NULL, \`revoked_at\` datetime(6) NULL, \`revoked_reason\` varchar(32) NULL, \`user_agent\` varchar(255) NULL, \`ip\` varchar(45) NULL, INDEX \`IDX_085d540d9f418cfbdc7bd55bb1\` (\`user_id\`), INDEX \`IDX_cf0880d3de1c5e4cb375ef160d\` (\`revoked_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        // Existing token families become sessions; each ends when its newest refresh token would.
        await queryRunner.query(`INSERT INTO \`sessions\` (\`id\`, \`user_id\`, \`created_at\`, \`last_used_at\`, \`expires_at\`, \`revoked_at\`, \`revoked_reason\`, \`user_agent\`, \`ip\`) SELECT \`session_id\`, MIN(\`user_id\`), MIN(\`created_at\`), MAX(\`created_at\`), MAX(\`expires_at\`), MAX(\`revoked_at\`), MAX(\`revoked_reason\`), MIN(\`user_agent\`), MIN(\`ip\`) FROM \`refresh_tokens\` GROUP BY \`session_id\``);
        await queryRunner.query(`ALTER TABLE \`sessions\` ADD CONSTRAINT \`FK_085d540d9f418cfbdc7bd55bb19\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`refresh_tokens\` ADD CONSTRAINT \`FK_3bf308fa93da3966f9e76fcfba4\` FOREIGN KEY (\`session_id\`) REFERENCES \`sessions\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`refresh_tokens\` DROP FOREIGN KEY \`FK_3bf308fa93da3966f9e76fcfba4\``);
        await queryRunner.query(`ALTER TABLE \`sessions\` DROP FOREIGN KEY \`FK_085d540d9f418cfbdc7bd55bb19\``);
        await queryRunner.query(`DROP INDEX \`IDX_cf0880d3de1c5e4cb375ef160d\` ON \`sessions\``);
        await queryRunner.query(`DROP INDEX \`IDX_085d540d9f418cfbdc7bd55bb1\` ON \`sessions\``);
        await queryRunner.query(`DROP TABLE \`sessions\``);
    }

}
