// The floor for `npm run bench:collect`: the same SOAP requests the plugin makes for a mode (ContainerView +
// RetrievePropertiesEx with the same property paths, Continue while there is a token), bytes read and
// dropped — no XML parsing, no normalization, no output. Run as a subprocess so start-up counts on both sides.
//   node --import tsx bench/collect-floor.ts ENDPOINT USER MODE   (password in VC_PASS)
import { PROPS, retrievalsFor } from '../plugins/vcenter/src/collect';
import {
  SOAP_ACTION,
  SoapClient,
  containerViewSpec,
  el,
  envelope,
  moEl,
} from '../plugins/vcenter/src/soap/client';
import type { RunMode } from '../src/collector/contract';

const [endpoint, username, mode] = process.argv.slice(2);
const client = new SoapClient({ endpoint, insecure: true, maxConcurrency: 4 });

/** Sends a SOAP body and reads the answer as raw bytes; returns a continuation token if one is in the tail. */
async function rawCall(method: string, inner: string[]): Promise<string | undefined> {
  const body = envelope(el(method, inner, { xmlns: 'urn:vim25' }));
  return client.transport.request(
    {
      method: 'POST',
      path: client.url.pathname,
      headers: {
        'content-type': 'text/xml; charset=utf-8',
        soapaction: SOAP_ACTION,
        cookie: `vmware_soap_session=${client.sessionCookie}`,
      },
      body,
    },
    async (res) => {
      let head = '';
      for await (const chunk of res) {
        if (head.length < 4096) head += (chunk as Buffer).toString('latin1', 0, 4096);
      }
      return /<token>([^<]+)<\/token>/.exec(head)?.[1];
    },
  );
}

async function main() {
  await client.retrieveServiceContent();
  await client.loginWith(username, process.env.VC_PASS ?? '');
  const sc = client.serviceContent;
  const one = async (type: string, props: readonly string[]) => {
    const view = await client.createContainerView(type);
    const spec = containerViewSpec(type, props, view);
    let token = await rawCall('RetrievePropertiesEx', [
      moEl('_this', sc.propertyCollector),
      spec,
      el('options', [el('maxObjects', 1000)]),
    ]);
    while (token)
      token = await rawCall('ContinueRetrievePropertiesEx', [
        moEl('_this', sc.propertyCollector),
        el('token', token),
      ]);
    await client.destroyView(view);
  };
  const list = retrievalsFor(mode as RunMode);
  // Same shape as the plugin: the small sets concurrently, then hosts, then VMs.
  const big = new Set(['HostSystem', 'VirtualMachine']);
  await Promise.all(
    list
      .filter((r) => !big.has(r.type) || r.props === 'HostSystemPlacement')
      .map((r) => one(r.type, PROPS[r.props])),
  );
  for (const r of list.filter((x) => big.has(x.type) && x.props !== 'HostSystemPlacement'))
    await one(r.type, PROPS[r.props]);
  await client.logout();
  client.close();
  process.stderr.write(
    `COLLECT_STATS ${JSON.stringify({ requests: client.transport.stats.requests, bytes: client.transport.stats.bytesRead })}\n`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
