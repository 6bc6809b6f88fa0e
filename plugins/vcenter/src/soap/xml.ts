// XML for the vim25 SOAP API: escaping for requests, and a namespace-aware streaming tree builder for
// responses. Built on saxes so a 76 MB RetrievePropertiesEx page is parsed as it arrives and each
// ObjectContent can be handed on and dropped, instead of holding the whole document in memory.
import { SaxesParser, type SaxesTagPlain } from 'saxes';

export const NS_SOAPENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const NS_XSI = 'http://www.w3.org/2001/XMLSchema-instance';
export const NS_VIM = 'urn:vim25';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes a value for XML text or attribute content. Every value put into a request goes through this. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** One element: local name, namespace URI, resolved xsi:type (local part), other attributes, text, children. */
export interface XmlNode {
  name: string;
  ns: string;
  xsiType?: string;
  attrs?: Record<string, string>;
  text: string;
  children: XmlNode[];
}

export interface TreeBuilderOptions {
  /**
   * Called when an element closes. Return true to take the element: it is then not attached to its parent,
   * so streamed items (e.g. ObjectContent) are garbage once the callback is done with them.
   */
  onElement?: (node: XmlNode, depth: number) => boolean;
}

/** Streaming XML → XmlNode tree. Feed it with write() (strings, already decoded) and finish with close(). */
export class XmlTreeBuilder {
  private readonly parser: SaxesParser<{ xmlns: false; position: false }>;
  private readonly stack: XmlNode[] = [];
  /** In-scope prefix → namespace URI maps, one per open element (shared until an element declares). */
  private readonly nsStack: Record<string, string>[] = [{ xml: 'http://www.w3.org/XML/1998/namespace' }];
  private root: XmlNode | undefined;
  private error: Error | undefined;
  /** An error thrown by onElement (not a parse error): rethrown as is by close(). */
  callbackError: unknown;

  constructor(opts: TreeBuilderOptions = {}) {
    // Namespaces are resolved here rather than by saxes' xmlns mode: same result (prefix → URI through the
    // in-scope declarations), a third less CPU on big pages, since declarations are rare below the root.
    this.parser = new SaxesParser({ xmlns: false, position: false });
    this.parser.on('error', (err) => {
      this.error ??= err;
    });
    this.parser.on('opentag', (tag: SaxesTagPlain) => {
      const attrs = tag.attributes;
      let ns = this.nsStack[this.nsStack.length - 1];
      let declared = false;
      for (const k in attrs) {
        if (k === 'xmlns' || k.startsWith('xmlns:')) {
          if (!declared) {
            ns = { ...ns };
            declared = true;
          }
          ns[k === 'xmlns' ? '' : k.slice(6)] = attrs[k];
        }
      }
      this.nsStack.push(ns);
      const name = tag.name;
      const colon = name.indexOf(':');
      const node: XmlNode = {
        name: colon < 0 ? name : name.slice(colon + 1),
        ns: ns[colon < 0 ? '' : name.slice(0, colon)] ?? '',
        text: '',
        children: [],
      };
      for (const k in attrs) {
        const c = k.indexOf(':');
        if (c < 0) {
          if (k !== 'xmlns') (node.attrs ??= {})[k] = attrs[k];
          continue;
        }
        const prefix = k.slice(0, c);
        if (prefix === 'xmlns') continue;
        const local = k.slice(c + 1);
        if (local === 'type' && ns[prefix] === NS_XSI) node.xsiType = resolveQNameLocal(attrs[k]);
        else (node.attrs ??= {})[local] = attrs[k];
      }
      this.stack.push(node);
    });
    this.parser.on('text', (t) => {
      const top = this.stack[this.stack.length - 1];
      if (top) top.text += t;
    });
    this.parser.on('cdata', (t) => {
      const top = this.stack[this.stack.length - 1];
      if (top) top.text += t;
    });
    this.parser.on('closetag', () => {
      this.nsStack.pop();
      const node = this.stack.pop()!;
      const depth = this.stack.length;
      if (node.children.length > 0) node.text = '';
      if (opts.onElement && this.callbackError === undefined) {
        let taken = false;
        try {
          taken = opts.onElement(node, depth);
        } catch (err) {
          this.callbackError = err;
          taken = true;
        }
        if (taken) return;
      }
      const parent = this.stack[depth - 1];
      if (parent) parent.children.push(node);
      else this.root = node;
    });
  }

  write(chunk: string): void {
    if (this.error || this.callbackError !== undefined) return;
    try {
      this.parser.write(chunk);
    } catch (err) {
      this.error ??= err as Error;
    }
  }

  /** Ends the document; throws on malformed XML. */
  close(): XmlNode {
    if (this.callbackError !== undefined) throw this.callbackError;
    if (!this.error) {
      try {
        this.parser.close();
      } catch (err) {
        this.error ??= err as Error;
      }
    }
    if (this.error) throw this.error;
    if (!this.root) throw new Error('empty XML document');
    return this.root;
  }
}

/** xsi:type values are QNames ("xsd:string", "vim25:HostSystem"); the local part names the type. */
function resolveQNameLocal(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

export function parseXml(text: string): XmlNode {
  const b = new XmlTreeBuilder();
  b.write(text);
  return b.close();
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (!node) return undefined;
  for (const c of node.children) if (c.name === name) return c;
  return undefined;
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  if (!node) return [];
  return node.children.filter((c) => c.name === name);
}

export function childText(node: XmlNode | undefined, name: string): string | undefined {
  return child(node, name)?.text;
}

/** A managed object reference as it appears in XML: `<obj type="VirtualMachine">vm-42</obj>`. */
export interface MoRef {
  type: string;
  value: string;
}

export function toMoRef(node: XmlNode | undefined): MoRef | undefined {
  if (!node) return undefined;
  const type = node.attrs?.type ?? node.xsiType;
  if (!type) return undefined;
  return { type, value: node.text };
}

/** Plain JSON value of an element, for raw payloads and property values. */
export type Plain = string | Plain[] | { [key: string]: Plain };

/**
 * Converts an element to plain data. Leaves become strings; ArrayOfX becomes an array; data objects become
 * objects with `_type` (from xsi:type) and repeated child names collected into arrays. A managed object
 * reference (leaf with a `type` attribute) becomes `{type, value}`.
 */
export function toPlain(node: XmlNode): Plain {
  if (node.children.length === 0) {
    const t = node.attrs?.type;
    if (t !== undefined && (node.xsiType === 'ManagedObjectReference' || node.xsiType === undefined)) {
      return { type: t, value: node.text };
    }
    if (node.xsiType?.startsWith('ArrayOf')) return [];
    return node.text;
  }
  if (node.xsiType?.startsWith('ArrayOf')) return node.children.map(toPlain);
  const out: { [key: string]: Plain } = {};
  if (node.xsiType) out._type = node.xsiType;
  let multi: Set<string> | undefined; // names already turned into arrays by a repeat
  for (const c of node.children) {
    const v = toPlain(c);
    const prev = out[c.name];
    if (prev === undefined) out[c.name] = v;
    else if (multi?.has(c.name)) (prev as Plain[]).push(v);
    else {
      out[c.name] = [prev, v];
      (multi ??= new Set()).add(c.name);
    }
  }
  return out;
}
