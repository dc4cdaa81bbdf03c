/**
 * The order a call's SIP messages are drawn in (issue 15: stamps you can trust). History numbers a
 * call's messages (`seq`) in the order they were stored, but a sent datagram is stored once the
 * SIP wire thread's stamp of it is back (sip/udp-wire.ts, scenarios/call-recorder.ts), so a message
 * received meanwhile can be stored first: the stored order can differ from the stamp order by a
 * fraction of a ms. Every ladder (the
 * dashboard's call view, the HTML report's and the test report's) draws by stamp; `seq` is kept.
 */
import type { SipMessageRecord } from './types';

/**
 * A call's messages by their monotonic stamp (`monoMs`), ties in the order given (history's
 * `seq`, or record order for a live call's list).
 * @param messages - the messages as recorded (history returns them `ORDER BY seq`); not changed.
 * @returns a new array (the same objects).
 */
export function inStampOrder<M extends Pick<SipMessageRecord, 'monoMs'>>(messages: readonly M[]): M[] {
  return messages
    .map((m, i) => ({ m, i }))
    .sort((a, b) => a.m.monoMs - b.m.monoMs || a.i - b.i)
    .map((x) => x.m);
}
