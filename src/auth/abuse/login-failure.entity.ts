import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Failed-login counter of one key (an account, or an account and IP pair), in a fixed window. */
@Entity('login_failures')
export class LoginFailure {
  /** SHA-256 of the normalised login (and IP): no email address or IP is stored in clear. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key: string;

  @Column({ type: 'int' })
  failures: number;

  /** Epoch milliseconds; the counter starts again after this. */
  @Column({ name: 'window_ends_at', type: 'bigint' })
  windowEndsAt: string;
}
