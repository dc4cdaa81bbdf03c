/**
 * zod pieces shared by the run kinds' option schemas. Options that only an in-process caller can
 * give (audio as samples, callbacks) are `z.custom`: the contract never sends them.
 */
import { z } from 'zod';
import type { SignalParams, SipHeader } from '../../shared/types';
import type { EmulatorFault } from '../emulator/faults';

/** p1..p9 of a Signal (cxone-reference.md: Signal takes up to nine parameters). */
export const signalParamsOption = z.custom<SignalParams>((v) => typeof v === 'object' && v !== null && Object.values(v).every((x) => x === undefined || typeof x === 'string'), 'p1..p9 as strings');

/** SIP headers written verbatim. */
export const sipHeadersOption = z.array(z.object({ name: z.string().min(1), value: z.string() })).transform((h) => h as SipHeader[]);

/** Audio: a WAV path, 8 kHz samples, or null for none. */
export const audioOption = z.union([z.string(), z.instanceof(Int16Array), z.null()]);

/** How long a greeting plays before the Signal (ms) or all of it. */
export const greetingBeforeOption = z.union([z.number().nonnegative(), z.literal('end')]);

/** Emulator faults (faults.ts), already parsed. */
export const faultsOption = z.array(z.custom<EmulatorFault>((v) => typeof v === 'object' && v !== null && 'kind' in v, 'an emulator fault'));

/** A transport of the loopback runs. */
export const loopbackTransport = z.enum(['udp', 'tcp']);

/** A callback given by an in-process caller (CLI progress). */
export function callback<F extends (...args: never[]) => unknown>(): z.ZodCustom<F, F> {
  return z.custom<F>((v) => typeof v === 'function', 'a function');
}
