import { PartialType, PickType } from '@nestjs/swagger';
import { SignupDto } from '../../auth/dto/signup.dto.js';

/** A new name, a new username, or both; the same rules as at signup. */
export class UpdateProfileDto extends PartialType(PickType(SignupDto, ['name', 'username'] as const)) {}
