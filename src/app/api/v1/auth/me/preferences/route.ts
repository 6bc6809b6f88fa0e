import { route, otherMethods } from '@/server/http';
import { getPreferences } from '@/server/preferences/get-preferences';
import { preferencesSchema, updatePreferencesBody } from '@/server/preferences/schemas';
import { setPreferences } from '@/server/preferences/set-preferences';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/auth/me/preferences',
    summary: 'My UI preferences',
    description: 'The signed-in user’s saved UI choices, e.g. the asset list’s columns.',
    tags: ['auth'],
    auth: 'user',
    responses: { 200: preferencesSchema },
  },
  async ({ session, db }) => getPreferences(db, session.user.id),
);

export const PUT = route(
  {
    method: 'put',
    path: '/api/v1/auth/me/preferences',
    summary: 'Save my UI preferences',
    description: 'Saves the given choices; fields left out keep their value, null restores the default.',
    tags: ['auth'],
    auth: 'user',
    body: updatePreferencesBody,
    responses: { 200: preferencesSchema },
  },
  async ({ session, body, db }) => setPreferences(db, session.user.id, body),
);

export const { POST, PATCH, DELETE, OPTIONS } = otherMethods({ GET, PUT });
