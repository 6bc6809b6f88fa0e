// Namespace resolution and escaping: prefixes are looked up, never matched as text.
import { describe, expect, it } from 'vitest';
import { escapeXml, parseXml, toPlain, XmlTreeBuilder } from './xml';

describe('XmlTreeBuilder', () => {
  it('resolves xsi:type under any prefix (xsi, XMLSchema-instance, q9) and ignores a look-alike', () => {
    for (const prefix of ['xsi', 'XMLSchema-instance', 'q9']) {
      const n = parseXml(
        `<a xmlns="urn:vim25" xmlns:${prefix}="http://www.w3.org/2001/XMLSchema-instance"><val ${prefix}:type="xsd:string">x</val></a>`,
      );
      expect(n.ns).toBe('urn:vim25');
      expect(n.children[0]).toMatchObject({ name: 'val', ns: 'urn:vim25', xsiType: 'string', text: 'x' });
    }
    // "xsi" bound to another namespace is not the schema-instance type.
    const fake = parseXml('<a xmlns:xsi="urn:other"><val xsi:type="Evil">x</val></a>');
    expect(fake.children[0].xsiType).toBeUndefined();
  });

  it('scopes declarations to their element', () => {
    const n = parseXml('<r xmlns:p="urn:one"><p:a/><b xmlns:p="urn:two"><p:c/></b><p:d/></r>');
    expect(n.children.map((c) => c.ns)).toEqual(['urn:one', '', 'urn:one']);
    expect(n.children[1].children[0].ns).toBe('urn:two');
  });

  it('streams: a taken element is not kept in the tree; multibyte text split across chunks survives', () => {
    const seen: string[] = [];
    const b = new XmlTreeBuilder({
      onElement: (node, depth) => {
        if (depth === 1 && node.name === 'o') {
          seen.push(node.text);
          return true;
        }
        return false;
      },
    });
    const doc = '<r><o>東京 &amp; &lt;x&gt;</o><o>b</o><k/></r>';
    for (const ch of doc) b.write(ch);
    const root = b.close();
    expect(seen).toEqual(['東京 & <x>', 'b']);
    expect(root.children.map((c) => c.name)).toEqual(['k']);
  });

  it('malformed XML throws', () => {
    expect(() => parseXml('<a><b></a>')).toThrow();
  });
});

describe('escapeXml and toPlain', () => {
  it('escapes the five specials', () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
  });

  it('ArrayOf → array, morefs → {type, value}, data objects keep their type', () => {
    const n = parseXml(
      '<val xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="ArrayOfManagedObjectReference">' +
        '<ManagedObjectReference type="Datastore" xsi:type="ManagedObjectReference">ds-1</ManagedObjectReference></val>',
    );
    expect(toPlain(n)).toEqual([{ type: 'Datastore', value: 'ds-1' }]);
    const o = parseXml(
      '<val xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="GuestNicInfo"><ip>a</ip><ip>b</ip><mac>m</mac></val>',
    );
    expect(toPlain(o)).toEqual({ _type: 'GuestNicInfo', ip: ['a', 'b'], mac: 'm' });
  });
});
