import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateLoginFailures1795422679199 implements MigrationInterface {
    name = 'CreateLoginFailures1795422679199'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`login_failures\` (\`key\` varchar(64) NOT NULL, \`failures\` int NOT NULL, \`window_ends_at\` bigint NOT NULL, PRIMARY KEY (\`key\`)) ENGINE=InnoDB`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE \`login_failures\``);
    }

}
