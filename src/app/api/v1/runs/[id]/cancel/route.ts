import { route, z, otherMethods } from '@/server/http';
import { cancelRun } from '@/server/runs';
import { runSchema, toRunDto } from '@/server/runs/schemas';
import { actorFrom } from '@/server/users/actor';

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/runs/{id}/cancel',
    summary: 'Cancel a queued or running run',
    description:
      'A queued run is cancelled at once (status cancelled). A running run gets cancelRequestedAt: within ' +
      'about a second its worker kills the plugin, rolls back, and the run ends cancelled with nothing ' +
      'ingested. Audited as run.cancel.',
    tags: ['runs'],
    auth: 'admin',
    params: z.object({ id: z.uuid() }),
    responses: {
      200: runSchema,
      404: { description: 'No such run (NOT_FOUND)' },
      409: { description: 'The run has already finished (CONFLICT)' },
    },
  },
  async (ctx) => toRunDto(await cancelRun(ctx.db, actorFrom(ctx), ctx.params.id)),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
