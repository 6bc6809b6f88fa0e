import { listEnvelope, route, otherMethods } from '@/server/http';
import { assetListItemSchema, assetListQuery, filtersFrom } from '@/server/assets/schemas';
import { listAssets } from '@/server/assets/service';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/assets',
    summary: 'List and search assets',
    description:
      '`q` finds assets by any part: a substring of name, host name or serial; an IP exactly, by IPv4 prefix or by CIDR; a MAC exactly or by prefix (OUI). Ranked exact > prefix > substring unless `sort` is given. Filters combine with AND.',
    tags: ['assets'],
    auth: 'user',
    query: assetListQuery,
    responses: { 200: listEnvelope(assetListItemSchema) },
  },
  async ({ db, query }) => listAssets(db, filtersFrom(query), query),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
