import { route, otherMethods } from '@/server/http';
import { deleteLedgerField, updateLedgerField } from '@/server/ledger-fields/define-ledger-field';
import { getLedgerField } from '@/server/ledger-fields/fields';
import {
  deleteLedgerFieldQuery,
  deleteLedgerFieldResult,
  ledgerFieldOut,
  ledgerFieldParams,
  ledgerFieldSchema,
  updateLedgerFieldBody,
} from '@/server/ledger-fields/schemas';
import { actorFrom } from '@/server/users/actor';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/ledger-fields/{key}',
    summary: 'Get a ledger field definition',
    tags: ['ledger'],
    auth: 'user',
    params: ledgerFieldParams,
    responses: { 200: ledgerFieldSchema },
  },
  async ({ db, params }) => ledgerFieldOut(await getLedgerField(db, params.key)),
);

export const PATCH = route(
  {
    method: 'patch',
    path: '/api/v1/ledger-fields/{key}',
    summary: 'Change a ledger field (labels, type, options, kinds, uniqueness, archived)',
    description:
      'A change that existing values do not fit is 409 CONFLICT with `details.count`, the number of values that do not fit; nothing changes.',
    tags: ['ledger'],
    auth: 'admin',
    params: ledgerFieldParams,
    body: updateLedgerFieldBody,
    responses: { 200: ledgerFieldSchema, 409: { description: 'Existing values do not fit (CONFLICT)' } },
  },
  async (ctx) => ledgerFieldOut(await updateLedgerField(ctx.db, actorFrom(ctx), ctx.params.key, ctx.body)),
);

export const DELETE = route(
  {
    method: 'delete',
    path: '/api/v1/ledger-fields/{key}',
    summary: 'Delete (or archive) a ledger field',
    description:
      'A field that holds values, or a built-in one, is 409 CONFLICT unless `archive=true`: then it is archived, its values and history kept.',
    tags: ['ledger'],
    auth: 'admin',
    params: ledgerFieldParams,
    query: deleteLedgerFieldQuery,
    responses: { 200: deleteLedgerFieldResult, 409: { description: 'The field holds values (CONFLICT)' } },
  },
  async (ctx) => deleteLedgerField(ctx.db, actorFrom(ctx), ctx.params.key, { archive: ctx.query.archive }),
);

export const { POST, PUT, OPTIONS } = otherMethods({ GET, PATCH, DELETE });
