import { route, otherMethods } from '@/server/http';
import { filtersFrom } from '@/server/assets/schemas';
import { bulkSetLedgerValues } from '@/server/ledger-fields/bulk-set-ledger-values';
import { bulkLedgerBody, bulkLedgerResult } from '@/server/ledger-fields/schemas';
import { actorFrom } from '@/server/users/actor';

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/assets/ledger/bulk',
    summary: 'Bulk edit ledger values of the given assets or of every asset matching a list filter',
    description:
      'Either `ids` or `filter` (the asset list’s filters; `ledger` as {key: value}). `set` is {key: value|null}; `overrides` sets or clears the display name, primary IP or OS. Answers how many assets matched and how many changed; one history event per changed asset, one audit event.',
    tags: ['ledger'],
    auth: 'editor',
    body: bulkLedgerBody,
    responses: { 200: bulkLedgerResult },
  },
  async (ctx) => {
    const { ids, filter, set, overrides } = ctx.body;
    const filters = filter
      ? filtersFrom({
          ...filter,
          ...Object.fromEntries(Object.entries(filter.ledger ?? {}).map(([k, v]) => [`ledger.${k}`, v])),
        })
      : undefined;
    return bulkSetLedgerValues(ctx.db, actorFrom(ctx), { ids, filter: filters, set, overrides });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
