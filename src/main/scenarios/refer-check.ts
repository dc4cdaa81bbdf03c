/**
 * The `transfer-by-refer` warning: the far end (the bot) tried to transfer the call with a SIP
 * REFER (RFC 3515) instead of handing it back with a Signal. The endpoint answers REFER 405 and
 * never follows it (sip/methods.ts); this says so on the run's checks, where the user looks.
 *
 * Assumed here, so it only warns (rule `checks.transfer-by-refer`, emulator/rules.ts and
 * docs/cxone-facts.md): the handoff that the vendor guides (`../shared/seeds/`) and
 * cxone-reference.md §2 describe is a Signal to CXone's API; none of them describes a REFER to
 * CXone. A deployment with a SIP transfer path of its own may use one on purpose.
 */
import type { CheckResult, SipMessageRecord } from '../../shared/types';
import { emulatorRule } from '../emulator/rules';
import { headerValue, isParseError } from '../sip/message';
import { parseRecord } from '../sip/wire-record';

/**
 * The warning for the first REFER the far end sent on this call, or null when it sent none.
 * @param messages - the call's wire records, in order.
 */
export function referCheck(messages: readonly SipMessageRecord[]): CheckResult | null {
  const refer = messages.find((m) => m.direction === 'in' && m.method === 'REFER' && m.status === undefined);
  if (!refer) return null;
  // Refer-To, or its compact form `r` (RFC 3515 §2.1; message.ts resolves compact forms).
  const parsed = parseRecord(refer);
  const target = (isParseError(parsed) ? undefined : headerValue(parsed.headers, 'refer-to')) || '(no Refer-To)';
  const answer = messages.find((m) => m.direction === 'out' && m.method === 'REFER' && m.status !== undefined && m.status >= 200);
  return {
    name: 'transfer-by-refer',
    ok: true,
    warn: true,
    detail: `the far end sent REFER (Refer-To: ${target})${answer ? `, answered ${answer.firstLine.replace(/^SIP\/2\.0\s+/, '')}` : ''}: a transfer by SIP, not the Signal that hands the call back to CXone; the lab does not follow REFER`,
    source: emulatorRule('checks.transfer-by-refer').source,
  };
}
