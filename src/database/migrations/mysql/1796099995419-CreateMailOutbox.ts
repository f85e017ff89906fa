import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateMailOutbox1796099995419 implements MigrationInterface {
    name = 'CreateMailOutbox1796099995419'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`mail_outbox\` (\`id\` varchar(36) NOT NULL, \`recipient\` varchar(254) NOT NULL, \`subject\` varchar(255) NOT NULL, \`text\` text NULL, \`html\` text NULL, \`status\` varchar(16) NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`next_attempt_at\` datetime(6) NOT NULL, \`claimed_by\` varchar(36) NULL, \`claimed_until\` datetime(6) NULL, \`created_at\` datetime(6) NOT NULL, \`expires_at\` datetime(6) NULL, \`sent_at\` datetime(6) NULL, \`last_error\` varchar(255) NULL, INDEX \`IDX_63513349650e25976f9ec6dcda\` (\`status\`, \`next_attempt_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`IDX_63513349650e25976f9ec6dcda\` ON \`mail_outbox\``);
        await queryRunner.query(`DROP TABLE \`mail_outbox\``);
    }

}
