/**
 * Pure helpers of `lab call` (place-call.ts): where a call to a SIP URI or a number goes, and the
 * INVITE's headers after the user's `--header` additions and overrides.
 */
import { UserAgent } from 'sip.js';
import type { SipHeader } from '../../shared/types';
import { bracketHost } from '../net/host-format';

/** Where a placed call goes. */
export interface CallTarget {
  /** The INVITE's Request-URI, e.g. `sip:15550100@trunk.example:5060`. */
  requestUri: string;
  /** Domain of the From URI and of the account (AOR, keychain): the Request-URI's host without port. */
  domain: string;
  /** Host the first request is sent to: the outbound proxy's when there is one, else the Request-URI's. */
  firstHopHost: string;
}

/** Characters a dialled number may hold (visual separators are dropped). */
const NUMBER = /^\+?[0-9*#][0-9*#\-. ()]*$/;

/**
 * Resolves a `lab call` target.
 * @param target - a SIP URI (`sip:bot@10.0.0.5:5060`, `sips:…`), `user@host[:port]`, or a number
 *   (`+15550100`, `15550100`), which is sent as `sip:<number>@<trunk>` (or `@<proxy>` without a trunk).
 * @param opts.trunk - `host[:port]` of the trunk or PBX for numbers (a `sip:` prefix is accepted).
 * @param opts.outboundProxy - the outbound proxy, if any (`sip:proxy:5060` or `host[:port]`).
 * @throws Error naming what is wrong (a number without a trunk or proxy, an unparsable URI).
 */
export function resolveCallTarget(target: string, opts: { trunk?: string; outboundProxy?: string } = {}): CallTarget {
  const t = target.trim();
  const proxy = opts.outboundProxy ? hostPortOf(opts.outboundProxy, '--via') : undefined;
  let requestUri: string;
  if (/^sips?:/i.test(t)) requestUri = t;
  else if (NUMBER.test(t)) {
    const digits = t.replace(/[-. ()]/g, '');
    const host = opts.trunk ? hostPortOf(opts.trunk, '--trunk') : proxy;
    if (!host) throw new Error(`"${t}" is a number: give --trunk <host[:port]> (or --via <proxy>) so the call goes to sip:${digits}@<trunk>`);
    requestUri = `sip:${digits}@${host.hostPort}`;
  } else if (/^[^@\s]+@[^@\s]+$/.test(t)) requestUri = `sip:${t}`;
  else throw new Error(`target "${t}": give a SIP URI (sip:bot@10.0.0.5:5060) or a number with --trunk <host[:port]>`);
  const uri = UserAgent.makeURI(requestUri);
  if (!uri || !uri.host) throw new Error(`target "${t}": "${requestUri}" is not a valid SIP URI`);
  return { requestUri, domain: uri.host, firstHopHost: proxy?.host ?? uri.host };
}

/** Host and `host:port` of a `host[:port]` or SIP URI option value. @throws Error naming the option. */
export function hostPortOf(value: string, option: string): { host: string; hostPort: string } {
  const text = value.trim().replace(/^<(.*)>$/, '$1');
  const uri = UserAgent.makeURI(/^sips?:/i.test(text) ? text : `sip:${text}`);
  if (!uri || !uri.host || /\s/.test(text)) throw new Error(`${option} "${value}": expected host[:port] or a SIP URI`);
  const host = uri.host.replace(/^\[|\]$/g, '');
  const bracketed = bracketHost(host);
  return { host, hostPort: uri.port ? `${bracketed}:${uri.port}` : bracketed };
}

/**
 * Applies `--header` values to the headers CXone would put: a header whose name matches one
 * already there (case-insensitively) replaces it, taking the new spelling (so a case mistake can be
 * reproduced); an empty value removes it; any other is added at the end.
 */
export function applyHeaderOverrides(base: readonly SipHeader[], overrides: readonly SipHeader[]): SipHeader[] {
  const out = [...base];
  for (const o of overrides) {
    const i = out.findIndex((h) => h.name.toLowerCase() === o.name.toLowerCase());
    if (o.value === '') {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) out[i] = { name: o.name, value: o.value };
    else out.push({ name: o.name, value: o.value });
  }
  return out;
}
