import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Refresh tokens are found by (created_at, token_hash) instead of token_hash alone: created_at is the token's iat,
 * so the key is time-ordered. The new index is built before the old one goes, so lookups always have one.
 */
export class KeyRefreshTokensByIssueTime1796190000000 implements MigrationInterface {
    name = 'KeyRefreshTokensByIssueTime1796190000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE UNIQUE INDEX \`IDX_5d5693e758450358cbb4b6c2a2\` ON \`refresh_tokens\` (\`created_at\`, \`token_hash\`)`);
        await queryRunner.query(`DROP INDEX \`IDX_a7838d2ba25be1342091b6695f\` ON \`refresh_tokens\``);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE UNIQUE INDEX \`IDX_a7838d2ba25be1342091b6695f\` ON \`refresh_tokens\` (\`token_hash\`)`);
        await queryRunner.query(`DROP INDEX \`IDX_5d5693e758450358cbb4b6c2a2\` ON \`refresh_tokens\``);
    }

}
