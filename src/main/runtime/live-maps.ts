/**
 * Sizes of per-call in-memory maps of components the runtime does not own the code of (issue 11
 * item 4: an ended call leaves every map). A component that exposes `liveMapSizes()` reports its
 * own maps; otherwise the best accessor that exists is used (assumed here; the SIP and bot layers
 * add `liveMapSizes()` as they bound their maps).
 */
import type { SipEndpoint } from '../sip/endpoint';

/** A component that reports its own per-call maps (name → entries). */
export interface HasLiveMaps {
  liveMapSizes(): Record<string, number>;
}

function hasLiveMaps(o: unknown): o is HasLiveMaps {
  return typeof (o as Partial<HasLiveMaps>)?.liveMapSizes === 'function';
}

/** An endpoint's maps: its own `liveMapSizes()` when it has one, else its live (not ended) calls. */
export function endpointLiveMaps(ep: SipEndpoint): Record<string, number> {
  const o: unknown = ep;
  if (hasLiveMaps(o)) return prefixed('endpoint', o.liveMapSizes());
  return { 'endpoint.liveCalls': ep.calls().filter((c) => c.state !== 'ended' && c.state !== 'failed').length };
}

/** Adds `prefix.` to each name (unless it has one). */
export function prefixed(prefix: string, sizes: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(sizes)) out[k.includes('.') ? k : `${prefix}.${k}`] = v;
  return out;
}

/** Adds `b` into `a`, name by name (several endpoints report the same names). */
export function addSizes(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) + v;
  return a;
}
