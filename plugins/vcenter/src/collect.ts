// The vCenter collector: runs one mode against one vCenter and streams assets, relations, warnings and
// progress to a sink as they are parsed (nothing estate-sized is kept: each relation goes out with its VM or
// host, bounded by a page).
// Small object sets (folders, datacenters, compute resources, pools, networks, datastores, tags) are read
// first, so each host/VM can be normalized and emitted the moment its ObjectContent has been parsed.
import type {
  CollectorAsset,
  CollectorError,
  CollectorRelation,
  DetectResult,
  RunMode,
} from '../../../src/collector/contract';
import type { VcenterCredential, VcenterSourceConfig } from '../../../src/collector/source-config';
import {
  normalizeCluster,
  normalizeHost,
  normalizeVm,
  entityName,
  txt,
  type DatastoreInfo,
  type Placement,
  type Report,
} from './normalize';
import { SoapClient, type ObjectContent } from './soap/client';
import { VcenterError, toCollectorError } from './soap/errors';
import { toPlain, type Plain } from './soap/xml';
import { fetchTags } from './tags';

export const DRIVER = 'asset-ledger-vcenter-soap/1';

export type Warning = { code: string; message: string; [k: string]: unknown };

/** Where assets go as they are produced. A returned promise means "wait before producing more". */
export interface AssetSink {
  asset(a: CollectorAsset): Promise<void> | undefined;
}

/** A sink for the whole response: relations, warnings about single objects and progress as they happen. */
export interface ResponseSink extends AssetSink {
  relation?(r: CollectorRelation): Promise<void> | undefined;
  warning?(w: Warning): void;
  progress?(phase: string, objects: number): void;
}

export interface CollectResult {
  detect?: DetectResult;
  /** Relations sent to the sink. */
  relations: number;
  warnings: Warning[];
  errors: CollectorError[];
  inventory_complete: boolean;
  assets: number;
  /** HTTP requests sent (SOAP + REST) and bytes read, for benchmarks. */
  http: { requests: number; bytes: number; pages: number };
}

export interface CollectOptions {
  /** maxObjects per RetrievePropertiesEx page. */
  pageSize?: number;
  maxConcurrency?: number;
  maxAttempts?: number;
  backoffMs?: number;
  /** Skip the REST tagging API (CLI flag, benchmarks of the SOAP path). */
  skipTags?: boolean;
}

// ---------------------------------------------------------------- property sets (DESIGN §7)

export const PROPS = {
  Folder: ['name', 'parent'],
  Datacenter: ['name', 'parent'],
  ComputeResource: ['name', 'parent'],
  ClusterComputeResource: ['name', 'parent', 'summary'],
  ResourcePool: ['name', 'parent'],
  Network: ['name'],
  Datastore: ['summary'],
  HostSystemPlacement: ['name', 'parent'],
  HostSystem: [
    'name',
    'parent',
    'summary.hardware',
    'hardware.systemInfo',
    'summary.config.product',
    'runtime.connectionState',
    'runtime.inMaintenanceMode',
    'runtime.powerState',
    'config.network.vnic',
    'config.network.pnic',
    'config.network.dnsConfig',
    'config.storageDevice.scsiLun',
    'datastore',
  ],
  VirtualMachine: [
    'name',
    'parent',
    'resourcePool',
    'config.uuid',
    'config.instanceUuid',
    'config.template',
    'config.hardware.numCPU',
    'config.hardware.numCoresPerSocket',
    'config.hardware.memoryMB',
    'config.hardware.device',
    'config.annotation',
    'summary.storage.committed',
    'summary.storage.uncommitted',
    'guest.hostName',
    'guest.guestFullName',
    'guest.guestId',
    'guest.ipAddress',
    'guest.net',
    'guest.toolsRunningStatus',
    'guest.toolsStatus',
    'guest.toolsVersion',
    'runtime.powerState',
    'runtime.connectionState',
    'runtime.host',
  ],
} as const;

/** The retrievals each mode makes: [view type, property set key]. Shared with the benchmark's floor. */
export function retrievalsFor(mode: RunMode): { type: string; props: keyof typeof PROPS }[] {
  const structure = [
    { type: 'Folder', props: 'Folder' as const },
    { type: 'Datacenter', props: 'Datacenter' as const },
    { type: 'ComputeResource', props: 'ComputeResource' as const },
  ];
  const hosts = [
    ...structure,
    { type: 'ClusterComputeResource', props: 'ClusterComputeResource' as const },
    { type: 'Datastore', props: 'Datastore' as const },
    { type: 'HostSystem', props: 'HostSystem' as const },
  ];
  const vms = [
    { type: 'ResourcePool', props: 'ResourcePool' as const },
    { type: 'Network', props: 'Network' as const },
    { type: 'VirtualMachine', props: 'VirtualMachine' as const },
  ];
  if (mode === 'collect_hosts') return hosts;
  if (mode === 'collect_vms')
    return [...structure, { type: 'HostSystem', props: 'HostSystemPlacement' }, ...vms];
  if (mode === 'collect') return [...hosts, ...vms];
  return [];
}

interface InvNode {
  type: string;
  name?: string;
  parent?: string; // key of the parent
}

const key = (type: string, value: string) => `${type}:${value}`;

/** Inventory tree of containers, for datacenter / cluster / folder / pool names. */
class Inventory {
  readonly nodes = new Map<string, InvNode>();

  add(o: ObjectContent): void {
    const parent = o.props.get('parent');
    const ptype = parent?.attrs?.type;
    this.nodes.set(key(o.obj.type, o.obj.value), {
      type: o.obj.type,
      name: entityName(o.props.get('name')),
      parent: parent && ptype ? key(ptype, parent.text) : undefined,
    });
  }

  /** Walks up from `k`; returns the chain (self first). */
  chain(k: string | undefined): InvNode[] {
    const out: InvNode[] = [];
    const seen = new Set<string>();
    while (k && !seen.has(k)) {
      seen.add(k);
      const n = this.nodes.get(k);
      if (!n) break;
      out.push(n);
      k = n.parent;
    }
    return out;
  }

  datacenter(k: string | undefined): string | undefined {
    return this.chain(k).find((n) => n.type === 'Datacenter')?.name;
  }

  /**
   * Folder path below the datacenter, e.g. "vm/Prod/Web" (the datacenter's own vm folder included). A '/'
   * or '%' in a folder's name stays escaped as vCenter writes it (%2f, %25), so the path stays unambiguous.
   */
  folderPath(folderKey: string | undefined): string | undefined {
    const names: string[] = [];
    for (const n of this.chain(folderKey)) {
      if (n.type === 'Datacenter') return names.length ? names.reverse().join('/') : undefined;
      if (n.type !== 'Folder' || !n.name) return undefined;
      names.push(n.name.replace(/%/g, '%25').replace(/\//g, '%2f'));
    }
    return undefined;
  }

  cluster(k: string | undefined): string | undefined {
    const n = k ? this.nodes.get(k) : undefined;
    return n?.type === 'ClusterComputeResource' ? n.name : undefined;
  }
}

function rawOf(o: ObjectContent): Record<string, Plain> {
  const raw: Record<string, Plain> = { _moref: o.obj.value, _type: o.obj.type };
  for (const [p, v] of o.props) raw[p] = toPlain(v);
  return raw;
}

/**
 * Runs one mode. Never throws for vCenter problems: they come back in `errors` (with inventory_complete
 * false); assets already emitted stay emitted, and the caller must treat the run as failed.
 */
export async function collect(
  config: VcenterSourceConfig,
  credential: VcenterCredential,
  mode: RunMode,
  sink: ResponseSink,
  opts: CollectOptions = {},
): Promise<CollectResult> {
  const result: CollectResult = {
    relations: 0,
    warnings: [],
    errors: [],
    inventory_complete: false,
    assets: 0,
    http: { requests: 0, bytes: 0, pages: 0 },
  };
  const transportOpts = {
    endpoint: config.endpoint,
    caPem: config.ca_pem,
    thumbprintSha256: config.thumbprint_sha256,
    insecure: config.insecure,
    timeoutMs: config.request_timeout_ms,
    maxConcurrency: opts.maxConcurrency ?? 4,
    maxAttempts: opts.maxAttempts,
    backoffMs: opts.backoffMs,
  };
  const client = new SoapClient(transportOpts);
  client.onRelogin = () =>
    result.warnings.push({
      code: 'VCENTER_RELOGIN',
      message: 'vCenter session expired during the run; logged in again',
    });
  const restStats = { requests: 0, bytes: 0 };
  let pending: Promise<void> | undefined;
  client.backpressure = () => pending;
  const wait = (p: Promise<void> | undefined) => {
    if (!p) return;
    const before = pending;
    pending = (before ? Promise.all([before, p]) : p).then(() => {
      pending = undefined;
    });
  };
  const PROGRESS_EVERY = 1000;
  let phase = 'login';
  const progress = (next?: string) => {
    if (next) phase = next;
    sink.progress?.(phase, result.assets);
  };
  // Morefs already sent: a retried or restarted page repeats objects (and their relations) already sent.
  const emitted = new Set<string>();
  const emit = (a: CollectorAsset): boolean => {
    const k = key(a.external_kind, a.external_id);
    if (emitted.has(k)) return false;
    emitted.add(k);
    result.assets++;
    wait(sink.asset(a));
    if (result.assets % PROGRESS_EVERY === 0) progress();
    return true;
  };
  const relate = (r: CollectorRelation) => {
    result.relations++;
    wait(sink.relation?.(r));
  };
  /** FIELD_INVALID reports of one object's normalization. */
  const reporter =
    (kind: CollectorAsset['external_kind'], id: string): Report =>
    (path, value) =>
      sink.warning?.({
        code: 'FIELD_INVALID',
        message: `${kind} ${id}: ${path} ${JSON.stringify(value.slice(0, 80))} is not a valid value; left out`,
        external_kind: kind,
        external_id: id,
        path,
        value: value.slice(0, 80),
      });
  const gone = (o: ObjectContent): boolean => {
    const m = o.missing.find((x) => x.fault === 'ManagedObjectNotFound');
    if (m) {
      result.warnings.push({
        code: 'VCENTER_OBJECT_GONE',
        message: `${o.obj.type} ${o.obj.value} was deleted while it was being read; skipped`,
        external_id: o.obj.value,
      });
      return true;
    }
    if (o.missing.some((x) => x.fault === 'NotAuthenticated')) {
      // The simulator reports an expired session this way instead of faulting.
      throw new VcenterError('VCENTER_AUTH_FAILED', 'NotAuthenticated', {
        faultType: 'NotAuthenticated',
        retryable: true,
      });
    }
    return false;
  };

  let loggedIn = false;
  let tagsSettled: Promise<unknown> = Promise.resolve();
  try {
    const about = (await client.retrieveServiceContent()).about;
    await client.loginWith(credential.username, credential.password);
    loggedIn = true;

    if (mode === 'healthcheck' || mode === 'detect') {
      const now = await client.withSession(() => client.currentTime());
      result.detect = {
        target_version: about.version,
        build: about.build,
        instance_uuid: about.instanceUuid,
        api_type: about.apiType,
        api_version: about.apiVersion,
        product: about.fullName,
        server_time: now,
        capabilities: ['soap_property_collector', 'container_view', 'retrieve_properties_ex', 'vapi_tagging'],
        driver: DRIVER,
      };
      if (mode === 'healthcheck')
        result.detect = {
          server_time: now,
          target_version: about.version,
          instance_uuid: about.instanceUuid,
          driver: DRIVER,
        };
      result.inventory_complete = true;
      return result;
    }
    // Every mode says which vCenter answered: the worker refuses a run whose vCenter is another source's.
    result.detect = {
      target_version: about.version,
      build: about.build,
      instance_uuid: about.instanceUuid,
      api_type: about.apiType,
      driver: DRIVER,
    };

    const wantHosts = mode === 'collect_hosts' || mode === 'collect';
    const wantVms = mode === 'collect_vms' || mode === 'collect';
    const pageSize = opts.pageSize ?? 1000;
    const inv = new Inventory();
    const datastores = new Map<string, DatastoreInfo>();
    const networks = new Map<string, string>();
    const hostPlacement = new Map<string, string>(); // host moref -> key of its parent compute resource
    const clusterContent: ObjectContent[] = [];

    const retrieve = async (type: string, props: readonly string[], onObject: (o: ObjectContent) => void) => {
      const s = await client.retrieveAll(
        type,
        props,
        (o) => {
          if (!gone(o)) onObject(o);
        },
        // A progress report after every page: the run of a slow vCenter visibly moves, page by page.
        { maxObjects: pageSize, onPage: () => progress() },
      );
      result.http.pages += s.pages;
    };

    const tagsPromise: Promise<Map<string, string[]> | undefined> = opts.skipTags
      ? Promise.resolve(undefined)
      : fetchTags(
          { ...transportOpts, maxConcurrency: 2 },
          credential.username,
          credential.password,
          restStats,
        ).catch((err) => {
          result.warnings.push({
            code: 'VCENTER_TAGS_UNAVAILABLE',
            message: `tags could not be read (${toCollectorError(err).message}); assets have no tags this run`,
          });
          return undefined;
        });

    tagsSettled = tagsPromise;

    // Small sets first, concurrently (the transport bounds requests in flight).
    progress('inventory');
    await Promise.all([
      retrieve('Folder', PROPS.Folder, (o) => inv.add(o)),
      retrieve('Datacenter', PROPS.Datacenter, (o) => inv.add(o)),
      retrieve('ComputeResource', PROPS.ComputeResource, (o) => inv.add(o)),
      wantHosts
        ? retrieve('ClusterComputeResource', PROPS.ClusterComputeResource, (o) => clusterContent.push(o))
        : undefined,
      wantHosts
        ? retrieve('Datastore', PROPS.Datastore, (o) => {
            const s = o.props.get('summary');
            datastores.set(o.obj.value, {
              name: entityName(s, 'name'),
              type: txt(s, 'type'),
              capacity: txt(s, 'capacity'),
              free: txt(s, 'freeSpace'),
            });
          })
        : undefined,
      wantVms ? retrieve('ResourcePool', PROPS.ResourcePool, (o) => inv.add(o)) : undefined,
      wantVms
        ? retrieve('Network', PROPS.Network, (o) => {
            const name = entityName(o.props.get('name'));
            if (name) networks.set(o.obj.value, name);
          })
        : undefined,
      wantVms && !wantHosts
        ? retrieve('HostSystem', PROPS.HostSystemPlacement, (o) => {
            inv.add(o);
            const p = o.props.get('parent');
            if (p?.attrs?.type) hostPlacement.set(o.obj.value, key(p.attrs.type, p.text));
          })
        : undefined,
    ]);
    const tags = await tagsPromise;
    const tagsOf = (moref: string): string[] | undefined => (tags ? (tags.get(moref) ?? []) : undefined);

    if (wantHosts) {
      progress('clusters');
      for (const o of clusterContent) {
        const k = key(o.obj.type, o.obj.value);
        const node = inv.nodes.get(k);
        emit({
          external_kind: 'cluster',
          external_id: o.obj.value,
          normalized: normalizeCluster(
            o.props,
            { datacenter: inv.datacenter(k), folder: inv.folderPath(node?.parent) },
            tagsOf(o.obj.value),
            reporter('cluster', o.obj.value),
          ),
          raw_payload: rawOf(o),
        });
      }
      progress('hosts');
      await retrieve('HostSystem', PROPS.HostSystem, (o) => {
        inv.add(o);
        const p = o.props.get('parent');
        const parentKey = p?.attrs?.type ? key(p.attrs.type, p.text) : undefined;
        if (parentKey) hostPlacement.set(o.obj.value, parentKey);
        const placement: Placement = {
          datacenter: inv.datacenter(parentKey),
          cluster: inv.cluster(parentKey),
        };
        const fresh = emit({
          external_kind: 'host',
          external_id: o.obj.value,
          normalized: normalizeHost(
            o.props,
            placement,
            datastores,
            tagsOf(o.obj.value),
            reporter('host', o.obj.value),
          ),
          raw_payload: rawOf(o),
        });
        if (fresh && p?.attrs?.type === 'ClusterComputeResource') {
          relate({
            type: 'member_of',
            from: { external_kind: 'host', external_id: o.obj.value },
            to: { external_kind: 'cluster', external_id: p.text },
          });
        }
      });
    }

    if (wantVms) {
      progress('vms');
      await retrieve('VirtualMachine', PROPS.VirtualMachine, (o) => {
        const parent = o.props.get('parent');
        const parentKey = parent?.attrs?.type ? key(parent.attrs.type, parent.text) : undefined;
        const rp = o.props.get('resourcePool');
        const rpKey = rp ? key(rp.attrs?.type ?? 'ResourcePool', rp.text) : undefined;
        const host = txt(o.props.get('runtime.host'));
        const hostParent = host ? hostPlacement.get(host) : undefined;
        const placement: Placement = {
          datacenter: inv.datacenter(parentKey) ?? inv.datacenter(rpKey),
          cluster: inv.cluster(hostParent),
          folder: inv.folderPath(parentKey),
          resource_pool: rpKey ? inv.nodes.get(rpKey)?.name : undefined,
        };
        const fresh = emit({
          external_kind: 'vm',
          external_id: o.obj.value,
          normalized: normalizeVm(
            o.props,
            placement,
            networks,
            tagsOf(o.obj.value),
            reporter('vm', o.obj.value),
          ),
          raw_payload: rawOf(o),
        });
        if (fresh && host) {
          relate({
            type: 'runs_on',
            from: { external_kind: 'vm', external_id: o.obj.value },
            to: { external_kind: 'host', external_id: host },
          });
          relate({
            type: 'hosts_vm',
            from: { external_kind: 'host', external_id: host },
            to: { external_kind: 'vm', external_id: o.obj.value },
          });
        }
      });
    }
    while (pending) await pending;
    progress('finishing');
    if (!(await client.sessionActive())) {
      throw new VcenterError(
        'VCENTER_AUTH_FAILED',
        'the vCenter session ended during the run, so the inventory may be incomplete',
        { retryable: true },
      );
    }
    result.inventory_complete = true;
  } catch (err) {
    result.errors.push(toCollectorError(err));
    result.inventory_complete = false;
  } finally {
    if (loggedIn) {
      const ok = await client.logout();
      if (!ok) result.warnings.push({ code: 'VCENTER_LOGOUT_FAILED', message: 'logout from vCenter failed' });
    }
    result.http.requests += client.transport.stats.requests;
    result.http.bytes += client.transport.stats.bytesRead;
    client.close();
    await tagsSettled;
    result.http.requests += restStats.requests;
    result.http.bytes += restStats.bytes;
  }
  return result;
}
