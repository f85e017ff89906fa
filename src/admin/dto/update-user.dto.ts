import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsString, Matches, ValidateIf } from 'class-validator';

const ROLE_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

/** PATCH /admin/users/:id: roles, disabled, or both. */
export class UpdateUserDto {
  @ApiPropertyOptional({ type: [String], minItems: 1, maxItems: 20, uniqueItems: true, example: ['user', 'admin'], pattern: ROLE_PATTERN.source })
  // ValidateIf rather than IsOptional: IsOptional would also let `null` through as "no change".
  @ValidateIf((dto: UpdateUserDto) => dto.roles !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(ROLE_PATTERN, { each: true, message: 'each role must be 1-32 characters: a lower-case letter, then a-z, 0-9, _ or -' })
  roles?: string[];

  @ApiPropertyOptional({ description: 'true ends every session of the user at once; login is refused until false again' })
  // Also checked when roles is absent, so a body that changes nothing is refused with one clear message.
  @ValidateIf((dto: UpdateUserDto) => dto.disabled !== undefined || dto.roles === undefined)
  @IsBoolean({ message: ({ value }) => (value === undefined ? 'give roles, disabled or both' : 'disabled must be a boolean value') })
  disabled?: boolean;
}
