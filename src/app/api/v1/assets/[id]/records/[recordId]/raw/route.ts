import { route, otherMethods } from '@/server/http';
import { rawRecordSchema, recordParams } from '@/server/assets/schemas';
import { getRawRecord } from '@/server/assets/service';
import { actorFrom, audit } from '@/server/users/actor';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/assets/{id}/records/{recordId}/raw',
    summary: 'Raw plugin payload of one source record (secrets redacted; audited)',
    tags: ['assets'],
    auth: 'admin',
    params: recordParams,
    responses: { 200: rawRecordSchema, 404: { description: 'No such record of this asset (NOT_FOUND)' } },
  },
  async (ctx) => {
    const record = await getRawRecord(ctx.db, ctx.params.id, ctx.params.recordId);
    await audit(
      ctx.db,
      actorFrom(ctx),
      'record.raw_view',
      { type: 'source_record', id: record.id },
      {
        assetUuid: record.assetUuid,
        sourceId: record.sourceId,
      },
    );
    return record;
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
