import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateUsers1795418851963 implements MigrationInterface {
    name = 'CreateUsers1795418851963'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`users\` (\`id\` varchar(36) NOT NULL, \`email\` varchar(254) NOT NULL, \`username\` varchar(32) NOT NULL, \`username_key\` varchar(32) NOT NULL, \`name\` varchar(100) NOT NULL, \`password_hash\` varchar(255) NOT NULL, \`roles\` text NOT NULL, \`disabled\` tinyint NOT NULL DEFAULT 0, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`password_changed_at\` datetime(6) NOT NULL, UNIQUE INDEX \`IDX_97672ac88f789774dd47f7c8be\` (\`email\`), UNIQUE INDEX \`IDX_43f388ec81c5e6e796845dad90\` (\`username_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`IDX_43f388ec81c5e6e796845dad90\` ON \`users\``);
        await queryRunner.query(`DROP INDEX \`IDX_97672ac88f789774dd47f7c8be\` ON \`users\``);
        await queryRunner.query(`DROP TABLE \`users\``);
    }

}
