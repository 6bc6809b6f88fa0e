import { route, otherMethods } from '@/server/http';
import { assetParams } from '@/server/assets/schemas';
import { getAssetLedger } from '@/server/ledger-fields/get-asset-ledger';
import { assetLedgerSchema, patchAssetLedgerBody } from '@/server/ledger-fields/schemas';
import { setLedgerValues } from '@/server/ledger-fields/set-ledger-values';
import { actorFrom } from '@/server/users/actor';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/assets/{id}/ledger',
    summary: 'An asset’s asserted facts: ledger values, overrides beside the observed values, version',
    tags: ['ledger'],
    auth: 'user',
    params: assetParams,
    responses: { 200: assetLedgerSchema },
  },
  async ({ db, params }) => getAssetLedger(db, params.id),
);

export const PATCH = route(
  {
    method: 'patch',
    path: '/api/v1/assets/{id}/ledger',
    summary: 'Set or clear ledger values and overrides',
    description:
      '`version` must be the one last read: a stale one is 409 VERSION_CONFLICT with `details.current` (the current ledger). A bad value is 400 naming the field (`values.<key>`), and nothing is written.',
    tags: ['ledger'],
    auth: 'editor',
    params: assetParams,
    body: patchAssetLedgerBody,
    responses: { 200: assetLedgerSchema, 409: { description: 'Stale version (VERSION_CONFLICT)' } },
  },
  async (ctx) => setLedgerValues(ctx.db, actorFrom(ctx), ctx.params.id, ctx.body),
);

export const { POST, PUT, DELETE, OPTIONS } = otherMethods({ GET, PATCH });
