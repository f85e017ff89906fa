import { ApiProperty } from '@nestjs/swagger';
import { UserView } from '../../users/dto/user.view.js';
import type { User } from '../../users/user.entity.js';

/** What an administrator sees of a user: the profile, whether they may log in, when it last changed; never the password hash. */
export class AdminUserView extends UserView {
  @ApiProperty()
  disabled: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;

  static override from(user: User): AdminUserView {
    return { ...UserView.from(user), disabled: user.disabled, updatedAt: user.updatedAt };
  }
}
