import { listEnvelope, route } from '@/server/http';
import { assetListItemSchema, assetListQuery, filtersFrom } from '@/server/assets/schemas';
import { listAssets } from '@/server/assets/service';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/assets',
    summary: 'List and search assets',
    description:
      '`q` searches name, host name and serial by prefix, IP addresses (v4/v6) and MAC addresses (any case or separator) exactly. Filters combine with AND.',
    tags: ['assets'],
    auth: 'user',
    query: assetListQuery,
    responses: { 200: listEnvelope(assetListItemSchema) },
  },
  async ({ db, query }) => listAssets(db, filtersFrom(query), query),
);
