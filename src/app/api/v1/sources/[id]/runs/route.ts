import { json, route, z, otherMethods } from '@/server/http';
import { triggerRun } from '@/server/runs';
import { toRunDto, triggerRunBody, triggerRunResult } from '@/server/runs/schemas';
import { actorFrom, audit } from '@/server/users/actor';

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/sources/{id}/runs',
    summary: 'Trigger a run of a source',
    description:
      'Any mode. At most one run per (source, mode) is active: when one is queued or running it is returned ' +
      'with suppressed: true (200) instead of a new one (201).',
    tags: ['runs'],
    auth: 'admin',
    params: z.object({ id: z.uuid() }),
    body: triggerRunBody,
    responses: {
      201: triggerRunResult,
      200: triggerRunResult,
      404: { description: 'No such source (NOT_FOUND)' },
    },
  },
  async (ctx) => {
    const actor = actorFrom(ctx);
    const { run, suppressed } = await triggerRun(ctx.db, {
      sourceId: ctx.params.id,
      mode: ctx.body.mode,
      trigger: ctx.session.kind === 'token' ? 'api' : 'manual',
      requestedBy: actor.userId,
    });
    await audit(
      ctx.db,
      actor,
      'run.trigger',
      { type: 'source', id: ctx.params.id },
      {
        mode: ctx.body.mode,
        run_id: run.id,
        suppressed,
      },
    );
    return json({ run: toRunDto(run), suppressed }, { status: suppressed ? 200 : 201 });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
