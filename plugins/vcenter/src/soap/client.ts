// A small vim25 SOAP client: service content, session (Login/Logout, one re-login on NotAuthenticated),
// ContainerViews and the PropertyCollector with paging, plus the few task methods tests need.
// Every value put into a request is escaped; responses are parsed with namespaces resolved.
import type http from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { VcenterError } from './errors';
import { Transport, type TransportOptions } from './transport';
import {
  NS_SOAPENV,
  XmlTreeBuilder,
  child,
  childText,
  children,
  escapeXml,
  toMoRef,
  toPlain,
  type MoRef,
  type Plain,
  type XmlNode,
} from './xml';

export const SOAP_ACTION = 'urn:vim25/6.5';

export interface ServiceContent {
  rootFolder: MoRef;
  propertyCollector: MoRef;
  viewManager: MoRef;
  sessionManager: MoRef;
  about: Record<string, string>;
}

/** One object of a RetrievePropertiesEx result: its moref, the values by property path, and what was missing. */
export interface ObjectContent {
  obj: MoRef;
  props: Map<string, XmlNode>;
  missing: { path: string; fault: string; message?: string }[];
}

export interface RetrieveStats {
  pages: number;
  objects: number;
}

export interface SoapClientOptions extends Omit<TransportOptions, 'baseUrl'> {
  /** The endpoint as configured: https://vc.example or https://vc.example/sdk */
  endpoint: string;
}

/** Resolves the SOAP URL from a configured endpoint: a bare origin gets /sdk. */
export function sdkUrl(endpoint: string): URL {
  const u = new URL(endpoint);
  if (u.pathname === '' || u.pathname === '/') u.pathname = '/sdk';
  return u;
}

/** Builds an element; `content` is escaped text or already-built child markup (array). */
export function el(
  name: string,
  content: string | string[] | number | boolean,
  attrs?: Record<string, string>,
): string {
  const a = attrs
    ? Object.entries(attrs)
        .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
        .join('')
    : '';
  const body = Array.isArray(content) ? content.join('') : escapeXml(String(content));
  return `<${name}${a}>${body}</${name}>`;
}

export const moEl = (name: string, ref: MoRef): string => el(name, ref.value, { type: ref.type });

export function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${NS_SOAPENV}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" ` +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

/** RetrievePropertiesEx's filter: `paths` of every `type` object in a ContainerView. */
export function containerViewSpec(type: string, paths: readonly string[], view: MoRef): string {
  return el('specSet', [
    el('propSet', [el('type', type), el('all', false), ...paths.map((p) => el('pathSet', p))]),
    el('objectSet', [
      moEl('obj', view),
      el('skip', true),
      el(
        'selectSet',
        [el('name', 'view'), el('type', 'ContainerView'), el('path', 'view'), el('skip', false)],
        { 'xsi:type': 'TraversalSpec' },
      ),
    ]),
  ]);
}

/** Fault types that mean the session is gone (expired, or the server restarted). */
const NOT_AUTHENTICATED = 'NotAuthenticated';

export class SoapClient {
  readonly transport: Transport;
  readonly url: URL;
  private cookies = new Map<string, string>();
  private content: ServiceContent | undefined;
  private login: { username: string; password: string } | undefined;
  private sessionGeneration = 0;
  private reloginsLeft = 1;
  private relogin: Promise<void> | undefined;
  /** Returns a promise while the consumer of streamed objects wants the response paused. */
  backpressure?: () => Promise<void> | undefined;
  /** Called on each re-login so callers can count it (tests, warnings). */
  onRelogin?: () => void;

  constructor(opts: SoapClientOptions) {
    this.url = sdkUrl(opts.endpoint);
    this.transport = new Transport({ ...opts, baseUrl: this.url });
  }

  get serviceContent(): ServiceContent {
    if (!this.content) throw new Error('RetrieveServiceContent not called');
    return this.content;
  }

  get sessionCookie(): string | undefined {
    return this.cookies.get('vmware_soap_session');
  }

  /**
   * Sends one SOAP call. `onElement` may take streamed elements (see XmlTreeBuilder). Returns the method's
   * response element (the child of Body). Faults are thrown as VcenterError with faultType set.
   */
  async call(
    method: string,
    inner: string[],
    onElement?: (node: XmlNode, depth: number) => boolean,
  ): Promise<XmlNode | undefined> {
    const body = envelope(el(method, inner, { xmlns: 'urn:vim25' }));
    const headers: Record<string, string> = {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: SOAP_ACTION,
    };
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    return this.transport.request(
      { method: 'POST', path: this.url.pathname + this.url.search, headers, body },
      (res) => this.consume(method, res, onElement),
      // 500 carries SOAP faults; other 5xx are transient.
      { retryStatus: (s) => s >= 501 && s <= 599 },
    );
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private async consume(
    method: string,
    res: http.IncomingMessage,
    onElement?: (node: XmlNode, depth: number) => boolean,
  ): Promise<XmlNode | undefined> {
    for (const c of res.headers['set-cookie'] ?? []) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      if (i > 0) this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
    const status = res.statusCode ?? 0;
    const builder = new XmlTreeBuilder({ onElement: status === 200 ? onElement : undefined });
    const decoder = new StringDecoder('utf8');
    await new Promise<void>((resolve, reject) => {
      res.on('data', (chunk: Buffer) => {
        builder.write(decoder.write(chunk));
        // Let a slow consumer of streamed objects (stdout) hold the response instead of buffering it.
        const wait = this.backpressure?.();
        if (wait) {
          res.pause();
          void wait.then(() => res.resume());
        }
      });
      res.on('end', () => resolve());
      res.on('error', reject);
      res.on('aborted', () => reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
    });
    builder.write(decoder.end());
    let root: XmlNode;
    try {
      root = builder.close();
    } catch (err) {
      if (builder.callbackError !== undefined) throw builder.callbackError;
      throw new VcenterError(
        'VCENTER_API_ERROR',
        `${method}: HTTP ${status}, response is not valid XML (${(err as Error).message.slice(0, 200)})`,
        { retryable: status >= 500, context: { http_status: status } },
      );
    }
    const bodyEl = root.name === 'Envelope' && root.ns === NS_SOAPENV ? child(root, 'Body') : undefined;
    if (!bodyEl) {
      throw new VcenterError('VCENTER_API_ERROR', `${method}: HTTP ${status}, not a SOAP envelope`, {
        retryable: status >= 500,
        context: { http_status: status },
      });
    }
    const fault = bodyEl.children.find((c) => c.name === 'Fault' && c.ns === NS_SOAPENV);
    if (fault) throw faultError(method, fault);
    if (status !== 200) {
      throw new VcenterError('VCENTER_API_ERROR', `${method}: HTTP ${status}`, {
        retryable: status >= 500,
        context: { http_status: status },
      });
    }
    return bodyEl.children[0];
  }

  // ---------------------------------------------------------------- session

  async retrieveServiceContent(): Promise<ServiceContent> {
    const res = await this.call('RetrieveServiceContent', [
      moEl('_this', { type: 'ServiceInstance', value: 'ServiceInstance' }),
    ]);
    const rv = child(res, 'returnval');
    const ref = (n: string): MoRef => {
      const r = toMoRef(child(rv, n));
      if (!r) throw new VcenterError('VCENTER_API_ERROR', `RetrieveServiceContent: no ${n} in the answer`);
      return r;
    };
    const about: Record<string, string> = {};
    for (const c of child(rv, 'about')?.children ?? []) about[c.name] = c.text;
    this.content = {
      rootFolder: ref('rootFolder'),
      propertyCollector: ref('propertyCollector'),
      viewManager: ref('viewManager'),
      sessionManager: ref('sessionManager'),
      about,
    };
    return this.content;
  }

  /** Logs in; InvalidLogin becomes VCENTER_AUTH_FAILED. Keeps the credential for one re-login. */
  async loginWith(username: string, password: string): Promise<void> {
    if (!this.content) await this.retrieveServiceContent();
    this.login = { username, password };
    await this.doLogin();
  }

  private async doLogin(): Promise<void> {
    const { username, password } = this.login!;
    this.cookies.delete('vmware_soap_session');
    try {
      await this.call('Login', [
        moEl('_this', this.serviceContent.sessionManager),
        el('userName', username),
        el('password', password),
      ]);
    } catch (err) {
      if (
        err instanceof VcenterError &&
        (err.faultType === 'InvalidLogin' || err.faultType === 'InvalidLoginFault')
      ) {
        throw new VcenterError(
          'VCENTER_AUTH_FAILED',
          'vCenter rejected the user name or password (InvalidLogin)',
          {
            faultType: err.faultType,
          },
        );
      }
      if (err instanceof VcenterError && err.faultType === 'NoPermission') {
        throw new VcenterError('VCENTER_PERMISSION_DENIED', `Login: ${err.message}`, {
          faultType: err.faultType,
        });
      }
      throw err;
    }
    this.sessionGeneration++;
  }

  /** Logs out; never throws (a failed logout must not fail a finished collection). */
  async logout(): Promise<boolean> {
    if (!this.content || !this.sessionCookie) return false;
    try {
      await this.call('Logout', [moEl('_this', this.serviceContent.sessionManager)]);
      return true;
    } catch {
      return false;
    } finally {
      this.cookies.delete('vmware_soap_session');
    }
  }

  close(): void {
    this.transport.close();
  }

  /**
   * Runs `fn` in the session; on NotAuthenticated it logs in again (once per client) and runs `fn` again from
   * the start — views and continuation tokens belong to the old session, so the whole unit is repeated.
   */
  async withSession<T>(fn: () => Promise<T>): Promise<T> {
    for (;;) {
      const gen = this.sessionGeneration;
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof VcenterError) || err.faultType !== NOT_AUTHENTICATED || !this.login) throw err;
        if (gen === this.sessionGeneration) {
          if (!this.relogin) {
            if (this.reloginsLeft <= 0) {
              throw new VcenterError(
                'VCENTER_AUTH_FAILED',
                'vCenter session was lost again after re-login (NotAuthenticated)',
                {
                  retryable: true,
                },
              );
            }
            this.reloginsLeft--;
            this.onRelogin?.();
            this.relogin = this.doLogin().finally(() => {
              this.relogin = undefined;
            });
          }
          await this.relogin;
        }
      }
    }
  }

  /**
   * True when the session is still logged in (SessionManager.currentSession is set). Some servers (the
   * simulator) answer an unauthenticated RetrievePropertiesEx with an empty result instead of a fault, so a
   * collection confirms its session at the end before calling its inventory complete.
   */
  async sessionActive(): Promise<boolean> {
    const res = await this.call('RetrievePropertiesEx', [
      moEl('_this', this.serviceContent.propertyCollector),
      el('specSet', [
        el('propSet', [el('type', 'SessionManager'), el('all', false), el('pathSet', 'currentSession')]),
        el('objectSet', [moEl('obj', this.serviceContent.sessionManager), el('skip', false)]),
      ]),
      el('options', []),
    ]).catch((err) => {
      if (err instanceof VcenterError && err.faultType === NOT_AUTHENTICATED) return undefined;
      throw err;
    });
    const objects = children(child(res, 'returnval'), 'objects');
    return objects.some((o) => parseObjectContent(o).props.has('currentSession'));
  }

  async currentTime(): Promise<string | undefined> {
    const res = await this.call('CurrentTime', [
      moEl('_this', { type: 'ServiceInstance', value: 'ServiceInstance' }),
    ]);
    return childText(res, 'returnval');
  }

  // ---------------------------------------------------------------- views and the PropertyCollector

  async createContainerView(type: string, container?: MoRef): Promise<MoRef> {
    const res = await this.call('CreateContainerView', [
      moEl('_this', this.serviceContent.viewManager),
      moEl('container', container ?? this.serviceContent.rootFolder),
      el('type', type),
      el('recursive', true),
    ]);
    const ref = toMoRef(child(res, 'returnval'));
    if (!ref) throw new VcenterError('VCENTER_API_ERROR', 'CreateContainerView returned no view');
    return ref;
  }

  async destroyView(view: MoRef): Promise<void> {
    await this.call('DestroyView', [moEl('_this', view)]).catch(() => undefined);
  }

  /**
   * Retrieves `paths` of every object of `type` below the root folder: a ContainerView, RetrievePropertiesEx
   * with maxObjects, then ContinueRetrievePropertiesEx while a token comes back. Each ObjectContent is handed
   * to `onObject` as it is parsed. Runs in withSession: after a re-login it starts over (callers dedupe).
   */
  async retrieveAll(
    type: string,
    paths: readonly string[],
    onObject: (o: ObjectContent) => void,
    opts: { maxObjects?: number; onPage?: () => void } = {},
  ): Promise<RetrieveStats> {
    return this.withSession(async () => {
      const stats: RetrieveStats = { pages: 0, objects: 0 };
      const view = await this.createContainerView(type);
      try {
        const spec = containerViewSpec(type, paths, view);
        const take = (node: XmlNode, depth: number): boolean => {
          // Envelope(0) > Body(1) > Response(2) > returnval(3) > objects(4)
          if (depth !== 4 || node.name !== 'objects') return false;
          stats.objects++;
          onObject(parseObjectContent(node));
          return true;
        };
        const pc = moEl('_this', this.serviceContent.propertyCollector);
        const options = el('options', [el('maxObjects', opts.maxObjects ?? 1000)]);
        // A Continue whose answer broke off may have consumed its token on the server, so its retry can
        // fail (InvalidArgument); then the read starts over once from a fresh RetrievePropertiesEx.
        for (let restarts = 1; ; restarts--) {
          let continuing = false;
          try {
            let res = await this.call('RetrievePropertiesEx', [pc, spec, options], take);
            stats.pages++;
            opts.onPage?.();
            let token = childText(child(res, 'returnval'), 'token');
            while (token) {
              continuing = true;
              res = await this.call('ContinueRetrievePropertiesEx', [pc, el('token', token)], take);
              stats.pages++;
              opts.onPage?.();
              token = childText(child(res, 'returnval'), 'token');
            }
            break;
          } catch (err) {
            const restartable =
              continuing &&
              restarts > 0 &&
              err instanceof VcenterError &&
              (err.retryable || err.faultType === 'InvalidArgument');
            if (!restartable) throw err;
          }
        }
        return stats;
      } finally {
        await this.destroyView(view);
      }
    });
  }

  // ---------------------------------------------------------------- tasks (used by test harnesses)

  async invokeTask(method: string, inner: string[]): Promise<MoRef> {
    const res = await this.withSession(() => this.call(method, inner));
    const task = toMoRef(child(res, 'returnval'));
    if (!task) throw new VcenterError('VCENTER_API_ERROR', `${method} returned no task`);
    return task;
  }

  /** Polls a task's info.state until success or error. */
  async waitForTask(task: MoRef, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let state: string | undefined;
      let error: string | undefined;
      const res = await this.call('RetrievePropertiesEx', [
        moEl('_this', this.serviceContent.propertyCollector),
        el('specSet', [
          el('propSet', [
            el('type', 'Task'),
            el('all', false),
            el('pathSet', 'info.state'),
            el('pathSet', 'info.error'),
          ]),
          el('objectSet', [moEl('obj', task), el('skip', false)]),
        ]),
        el('options', []),
      ]);
      for (const o of children(child(res, 'returnval'), 'objects')) {
        const oc = parseObjectContent(o);
        state = oc.props.get('info.state')?.text;
        const e = oc.props.get('info.error');
        if (e) error = childText(e, 'localizedMessage') || child(e, 'fault')?.xsiType || 'task failed';
      }
      if (state === 'success') return;
      if (state === 'error')
        throw new VcenterError('VCENTER_API_ERROR', `task ${task.value} failed: ${error}`);
      if (Date.now() > deadline)
        throw new VcenterError('VCENTER_TIMEOUT', `task ${task.value} did not finish`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export function parseObjectContent(node: XmlNode): ObjectContent {
  const obj = toMoRef(child(node, 'obj'));
  if (!obj) throw new VcenterError('VCENTER_API_ERROR', 'ObjectContent without obj');
  const props = new Map<string, XmlNode>();
  const missing: ObjectContent['missing'] = [];
  for (const c of node.children) {
    if (c.name === 'propSet') {
      const name = childText(c, 'name');
      const val = child(c, 'val');
      if (name !== undefined && val) props.set(name, val);
    } else if (c.name === 'missingSet') {
      const fault = child(c, 'fault');
      const inner = child(fault, 'fault');
      missing.push({
        path: childText(c, 'path') ?? '',
        fault: inner?.xsiType ?? fault?.xsiType ?? 'unknown',
        message: childText(fault, 'localizedMessage') || undefined,
      });
    }
  }
  return { obj, props, missing };
}

/** A SOAP Fault as a VcenterError; the detail's xsi:type names the vim fault (InvalidLogin, NoPermission, ...). */
function faultError(method: string, fault: XmlNode): VcenterError {
  const faultstring = childText(fault, 'faultstring') ?? 'SOAP fault';
  const detail = child(fault, 'detail');
  const d = detail?.children[0];
  let faultType = d?.xsiType ?? d?.name;
  if (faultType?.endsWith('Fault') && d && !d.xsiType) faultType = faultType.slice(0, -'Fault'.length);
  const context: Record<string, unknown> = { method, fault_string: faultstring };
  if (faultType) context.fault_type = faultType;
  if (faultType === 'NoPermission') {
    const privilege = childText(d, 'privilegeId');
    if (privilege) context.privilege = privilege;
    return new VcenterError('VCENTER_PERMISSION_DENIED', `${method}: permission denied: ${faultstring}`, {
      faultType,
      context,
    });
  }
  return new VcenterError('VCENTER_API_ERROR', `${method}: ${faultstring}`, { faultType, context });
}

export { toPlain, type Plain };
