import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateSecurityEvents1796102060486 implements MigrationInterface {
    name = 'CreateSecurityEvents1796102060486'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`security_events\` (\`id\` varchar(36) NOT NULL, \`occurred_at\` datetime(6) NOT NULL, \`type\` varchar(32) NOT NULL, \`user_id\` varchar(36) NULL, \`session_id\` varchar(36) NULL, \`actor\` varchar(48) NOT NULL, \`ip\` varchar(45) NULL, \`user_agent\` varchar(255) NULL, \`detail\` varchar(1024) NULL, INDEX \`IDX_3127c95cf1ce68df0d5969b5cf\` (\`occurred_at\`, \`id\`), INDEX \`IDX_23d18f120ad661d8884ec0d83e\` (\`type\`, \`occurred_at\`), INDEX \`IDX_6ba1d397cf312c02da23392c1c\` (\`user_id\`, \`occurred_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE \`security_events\``);
    }

}
