import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateLinkTokens1796099995418 implements MigrationInterface {
    name = 'CreateLinkTokens1796099995418'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`link_tokens\` (\`id\` varchar(36) NOT NULL, \`user_id\` varchar(36) NOT NULL, \`purpose\` varchar(16) NOT NULL, \`token_hash\` varchar(64) NOT NULL, \`payload\` varchar(254) NULL, \`created_at\` datetime(6) NOT NULL, \`expires_at\` datetime(6) NOT NULL, \`used_at\` datetime(6) NULL, \`superseded_at\` datetime(6) NULL, INDEX \`IDX_95662740bae8263f0c38ce5119\` (\`user_id\`, \`purpose\`), UNIQUE INDEX \`IDX_5afe558035607d5f3bcf6322f8\` (\`token_hash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`ALTER TABLE \`link_tokens\` ADD CONSTRAINT \`FK_0199eba299e0db9467e63c14fe0\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`link_tokens\` DROP FOREIGN KEY \`FK_0199eba299e0db9467e63c14fe0\``);
        await queryRunner.query(`DROP INDEX \`IDX_5afe558035607d5f3bcf6322f8\` ON \`link_tokens\``);
        await queryRunner.query(`DROP INDEX \`IDX_95662740bae8263f0c38ce5119\` ON \`link_tokens\``);
        await queryRunner.query(`DROP TABLE \`link_tokens\``);
    }

}
