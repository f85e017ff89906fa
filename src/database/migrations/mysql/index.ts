import { CreateUsers1795418851963 } from './1795418851963-CreateUsers.js';

export const MYSQL_MIGRATIONS = [CreateUsers1795418851963];
