import { CreateUsers1795418849660 } from './1795418849660-CreateUsers.js';

export const SQLITE_MIGRATIONS = [CreateUsers1795418849660];
