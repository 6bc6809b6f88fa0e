import { json, route, z, otherMethods } from '@/server/http';
import { createLedgerField } from '@/server/ledger-fields/define-ledger-field';
import { listLedgerFields } from '@/server/ledger-fields/fields';
import {
  createLedgerFieldBody,
  ledgerFieldListQuery,
  ledgerFieldOut,
  ledgerFieldSchema,
} from '@/server/ledger-fields/schemas';
import { actorFrom } from '@/server/users/actor';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/ledger-fields',
    summary: 'List ledger field definitions',
    description: 'Built-in and admin-defined fields of asserted facts, in display order.',
    tags: ['ledger'],
    auth: 'user',
    query: ledgerFieldListQuery,
    responses: { 200: z.object({ items: z.array(ledgerFieldSchema) }) },
  },
  async ({ db, query }) => ({
    items: (await listLedgerFields(db, { includeArchived: query.includeArchived })).map(ledgerFieldOut),
  }),
);

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/ledger-fields',
    summary: 'Define a ledger field',
    tags: ['ledger'],
    auth: 'admin',
    body: createLedgerFieldBody,
    responses: { 201: ledgerFieldSchema, 409: { description: 'The key exists (CONFLICT)' } },
  },
  async (ctx) =>
    json(ledgerFieldOut(await createLedgerField(ctx.db, actorFrom(ctx), ctx.body)), { status: 201 }),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
