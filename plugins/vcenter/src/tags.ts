// Tag names per object through the vAPI REST tagging API (best effort: failures are warnings).
// Session via /api/session (vSphere 7+), falling back to /rest/com/vmware/cis/session (6.5/6.7).
// Requests grow with the number of tags and categories, never with the number of objects.
import { VcenterError } from './soap/errors';
import { Transport, type TransportOptions } from './soap/transport';

interface Flavor {
  session: string;
  tagList: string;
  tag: (id: string) => string;
  category: (id: string) => string;
  attached: string;
  /** /rest wraps every answer in {value}. */
  unwrap: (body: unknown) => unknown;
}

const API: Flavor = {
  session: '/api/session',
  tagList: '/api/cis/tagging/tag',
  tag: (id) => `/api/cis/tagging/tag/${encodeURIComponent(id)}`,
  category: (id) => `/api/cis/tagging/category/${encodeURIComponent(id)}`,
  attached: '/api/cis/tagging/tag-association?action=list-attached-objects-on-tags',
  unwrap: (b) => b,
};

const REST: Flavor = {
  session: '/rest/com/vmware/cis/session',
  tagList: '/rest/com/vmware/cis/tagging/tag',
  tag: (id) => `/rest/com/vmware/cis/tagging/tag/id:${encodeURIComponent(id)}`,
  category: (id) => `/rest/com/vmware/cis/tagging/category/id:${encodeURIComponent(id)}`,
  attached: '/rest/com/vmware/cis/tagging/tag-association?~action=list-attached-objects-on-tags',
  unwrap: (b) => (b && typeof b === 'object' && 'value' in b ? (b as { value: unknown }).value : b),
};

interface JsonResponse {
  status: number;
  body: unknown;
}

/** Map moref value → ["Category:Tag", ...] for every tagged object. */
export async function fetchTags(
  opts: Omit<TransportOptions, 'baseUrl'> & { endpoint: string },
  username: string,
  password: string,
  stats?: { requests: number; bytes: number },
): Promise<Map<string, string[]>> {
  const base = new URL(new URL(opts.endpoint).origin);
  const t = new Transport({ ...opts, baseUrl: base, maxAttempts: Math.min(opts.maxAttempts ?? 2, 2) });
  const basic = 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
  const send = (
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ) =>
    t.request<JsonResponse>(
      {
        method,
        path,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      async (res) => {
        const chunks: Buffer[] = [];
        for await (const c of res) chunks.push(c as Buffer);
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = undefined;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = text;
        }
        return { status: res.statusCode ?? 0, body: parsed };
      },
    );

  let flavor: Flavor | undefined;
  let token: string | undefined;
  try {
    for (const f of [API, REST]) {
      const r = await send('POST', f.session, { authorization: basic });
      if (r.status === 200 || r.status === 201) {
        const v = f.unwrap(r.body);
        if (typeof v === 'string') {
          flavor = f;
          token = v;
          break;
        }
      }
      if (r.status === 401 || r.status === 403) {
        throw new VcenterError('VCENTER_AUTH_FAILED', `tagging API refused the session (HTTP ${r.status})`);
      }
    }
    if (!flavor || !token) throw new VcenterError('VCENTER_API_ERROR', 'no vAPI session endpoint answered');
    const f = flavor;
    const h = { 'vmware-api-session-id': token };
    const get = async (path: string): Promise<unknown> => {
      const r = await send('GET', path, h);
      if (r.status !== 200)
        throw new VcenterError('VCENTER_API_ERROR', `GET ${path.split('?')[0]}: HTTP ${r.status}`);
      return f.unwrap(r.body);
    };

    const tagIds = (await get(f.tagList)) as string[] | null;
    const out = new Map<string, string[]>();
    if (!Array.isArray(tagIds) || tagIds.length === 0) return out;
    const tags = await Promise.all(
      tagIds.map(async (id) => (await get(f.tag(id))) as { name?: string; category_id?: string }),
    );
    const catIds = [...new Set(tags.map((x) => x.category_id).filter((x): x is string => !!x))];
    const cats = new Map<string, string>();
    await Promise.all(
      catIds.map(async (id) => {
        const c = (await get(f.category(id))) as { name?: string };
        if (c?.name) cats.set(id, c.name);
      }),
    );
    const label = new Map<string, string>();
    tagIds.forEach((id, i) => {
      const tag = tags[i];
      if (!tag?.name) return;
      const cat = tag.category_id ? cats.get(tag.category_id) : undefined;
      label.set(id, cat ? `${cat}:${tag.name}` : tag.name);
    });
    const r = await send('POST', f.attached, h, { tag_ids: tagIds });
    if (r.status !== 200) throw new VcenterError('VCENTER_API_ERROR', `tag associations: HTTP ${r.status}`);
    const attached = (f.unwrap(r.body) ?? []) as {
      tag_id: string;
      object_ids?: { id: string; type: string }[];
    }[];
    for (const a of attached) {
      const name = label.get(a.tag_id);
      if (!name) continue;
      for (const o of a.object_ids ?? []) {
        const list = out.get(o.id) ?? [];
        if (!list.includes(name)) list.push(name);
        out.set(o.id, list);
      }
    }
    for (const list of out.values()) list.sort();
    return out;
  } finally {
    if (flavor && token)
      await send('DELETE', flavor.session, { 'vmware-api-session-id': token }).catch(() => undefined);
    t.close();
    if (stats) {
      stats.requests += t.stats.requests;
      stats.bytes += t.stats.bytesRead;
    }
  }
}
