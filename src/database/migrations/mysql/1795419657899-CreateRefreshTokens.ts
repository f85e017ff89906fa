import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateRefreshTokens1795419657899 implements MigrationInterface {
    name = 'CreateRefreshTokens1795419657899'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`refresh_tokens\` (\`id\` varchar(36) NOT NULL, \`user_id\` varchar(36) NOT NULL, \`session_id\` varchar(36) NOT NULL, \`token_hash\` varchar(64) NOT NULL, \`parent_id\` varchar(36) NULL, \`created_at\` datetime(6) NOT NULL, \`expires_at\` datetime(6) NOT NULL, \`used_at\` datetime(6) NULL, \`revoked_at\` datetime(6) NULL, \`revoked_reason\` varchar(32) NULL, \`user_agent\` varchar(255) NULL, \`ip\` varchar(45) NULL, INDEX \`IDX_3bf308fa93da3966f9e76fcfba\` (\`session_id\`), UNIQUE INDEX \`IDX_a7838d2ba25be1342091b6695f\` (\`token_hash\`), UNIQUE INDEX \`IDX_5a8e126b7a91b145aa651af550\` (\`parent_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`ALTER TABLE \`refresh_tokens\` ADD CONSTRAINT \`FK_3ddc983c5f7bcf132fd8732c3f4\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`refresh_tokens\` DROP FOREIGN KEY \`FK_3ddc983c5f7bcf132fd8732c3f4\``);
        await queryRunner.query(`DROP INDEX \`IDX_5a8e126b7a91b145aa651af550\` ON \`refresh_tokens\``);
        await queryRunner.query(`DROP INDEX \`IDX_a7838d2ba25be1342091b6695f\` ON \`refresh_tokens\``);
        await queryRunner.query(`DROP INDEX \`IDX_3bf308fa93da3966f9e76fcfba\` ON \`refresh_tokens\``);
        await queryRunner.query(`DROP TABLE \`refresh_tokens\``);
    }

}
