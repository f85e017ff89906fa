/** The role that opens /admin/*. The first administrator gets it from `npm run user:promote -- <email>`. */
export const ADMIN_ROLE = 'admin';
