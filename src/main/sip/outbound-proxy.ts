/**
 * The outbound proxy as a preloaded route set (RFC 3261 §8.1.2): a UAC configured with an outbound
 * proxy puts `Route: <proxy;lr>` on every out-of-dialog request and sends it to that first Route
 * (routing.ts `requestTarget`). Loose routing only (RFC 3261 §16.12, §19.1.1 `lr`): the Request-URI
 * stays the target, so a proxy given without `;lr` gets it added.
 */
import { Grammar } from 'sip.js';

/**
 * Makes the Route header value for an outbound proxy.
 * @param proxy - `sip:proxy.example:5060`, `sip:10.0.0.1;transport=tcp`, or a bare `host[:port]`.
 * @returns e.g. `<sip:proxy.example:5060;lr>`.
 * @throws Error naming the value when it is not a SIP URI nor a host[:port].
 */
export function outboundProxyRoute(proxy: string): string {
  const text = proxy.trim().replace(/^<(.*)>$/, '$1');
  const withScheme = /^sips?:/i.test(text) ? text : `sip:${text}`;
  const uri = Grammar.URIParse(withScheme);
  if (!uri || !uri.host || /[\s<>]/.test(text)) {
    throw new Error(`outbound proxy "${proxy}": expected a SIP URI (sip:proxy.example:5060) or host[:port]`);
  }
  if (!uri.hasParam('lr')) uri.setParam('lr', undefined);
  return `<${uri.toString()}>`;
}
