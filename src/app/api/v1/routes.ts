// Every API route module, so /api/openapi.json documents all of them (route() records each operation when
// its module loads). test/openapi-routes.test.ts fails when a route.ts under src/app/api is missing here.
// Keys are the folder under src/app/api.
import * as authLogin from './auth/login/route';
import * as authLogout from './auth/logout/route';
import * as authMe from './auth/me/route';
import * as authPassword from './auth/password/route';
import * as health from './health/route';
import * as users from './users/route';

export const routeModules: Record<string, Record<string, unknown>> = {
  'v1/auth/login': authLogin,
  'v1/auth/logout': authLogout,
  'v1/auth/me': authMe,
  'v1/auth/password': authPassword,
  'v1/health': health,
  'v1/users': users,
};
