/**
 * The options of a load run (`lab load`, `runtime.run('load', …)`), as a zod schema: the source of
 * the CLI's and the contract's option types (issue 11).
 */
import { z } from 'zod';

/** Options of a load run. Times in ms. */
export const loadOptionsSchema = z.object({
  /** SIP URI called, e.g. `sip:bot@10.0.0.5:5060` (over TLS `;transport=tls` or a `sips:` URI). */
  target: z.string().min(1),
  /** Vendor profile whose headers the calls carry (SIPPUTHEADER semantics). */
  profile: z.string().min(1),
  /**
   * Calls started per second (> 0; at most 10,000, a guard against a typo: one process on 2 cores
   * sustains ~2,000 over UDP, bench:load; for more, `--export-sipp` and SIPp on many machines).
   */
  rate: z.number().positive().max(10_000),
  /** Calls in all (≥ 1). With `durationMs` alone: as many as fit. */
  calls: z.number().int().positive().optional(),
  /** Most calls up at once; default unbounded. */
  concurrent: z.number().int().positive().optional(),
  /** Stop starting calls after this long (ms). */
  durationMs: z.number().positive().optional(),
  /** CSV of contact ids (and numbers) used in order (contacts.ts); default a fresh id per call. */
  contactsFile: z.string().optional(),
  transport: z.enum(['udp', 'tcp', 'tls']).default('udp'),
  /** Over TLS: a PEM file of CAs trusted for the target's certificate (besides the system's). */
  caFile: z.string().optional(),
  /** How long an answered call stays up before our BYE, unless the far end hangs up first (ms). Default 0. */
  holdMs: z.number().nonnegative().default(0),
  /** Play the caller prompt once answered and count the RTP received. */
  media: z.boolean().default(false),
  /** CANCEL a call not answered within this (ms). Default 32000 (RFC 3261 Timer B). */
  answerTimeoutMs: z.number().positive().default(32_000),
  /** Local address to bind and advertise; default 127.0.0.1 for a loopback target, else the one routing to it. */
  localHost: z.string().optional(),
  /** Extra headers (after the profile's), e.g. to reproduce a customer's SIPPUTHEADER. */
  headers: z.array(z.object({ name: z.string().min(1), value: z.string() })).default([]),
});

/** Options as given (defaults optional). */
export type LoadOptions = z.input<typeof loadOptionsSchema>;
/** Options as parsed (defaults filled). */
export type ParsedLoadOptions = z.output<typeof loadOptionsSchema>;
