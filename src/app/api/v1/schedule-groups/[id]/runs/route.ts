import { route, z, otherMethods } from '@/server/http';
import { triggerGroup } from '@/server/runs';
import { triggerGroupResult } from '@/server/runs/schemas';
import { actorFrom, audit } from '@/server/users/actor';

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/schedule-groups/{id}/runs',
    summary: 'Run a schedule group now',
    description:
      'Enqueues what the schedule would: collect_hosts then collect_vms for each enabled vCenter source with a ' +
      'credential. Active runs are not duplicated (suppressed); sources without a credential are skipped.',
    tags: ['runs'],
    auth: 'admin',
    params: z.object({ id: z.uuid() }),
    responses: { 200: triggerGroupResult, 404: { description: 'No such schedule group (NOT_FOUND)' } },
  },
  async (ctx) => {
    const actor = actorFrom(ctx);
    const result = await triggerGroup(
      ctx.db,
      ctx.params.id,
      ctx.session.kind === 'token' ? 'api' : 'manual',
      {
        requestedBy: actor.userId,
      },
    );
    await audit(
      ctx.db,
      actor,
      'schedule_group.run_now',
      { type: 'schedule_group', id: ctx.params.id },
      {
        queued: result.queued,
        suppressed: result.suppressed,
        skipped_missing_credential: result.skippedMissingCredential,
      },
    );
    return result;
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
