import type { CallSummary } from '../../../shared/types';
import { fmtMs, shortCallId } from '../format';
import { StateBadge } from './state-badge';
import { VerdictMark } from './verdict-mark';

/** One call in the live list. */
export function CallRow({ call, selected, onSelect }: { call: CallSummary; selected: boolean; onSelect: () => void }) {
  return (
    <li
      role="option"
      aria-selected={selected}
      id={`call-${call.id}`}
      className={selected ? 'call-row selected' : 'call-row'}
      data-testid="call-row"
      data-call-id={call.id}
      data-state={call.state}
      onClick={onSelect}
    >
      <div className="call-row-line">
        <StateBadge state={call.state} />
        <span className="role" title={call.role === 'uac' ? 'this app placed the call (it is CXone)' : 'this app answered (it is the bot)'}>
          {call.role.toUpperCase()}/{call.transport.toUpperCase()}
        </span>
        <span className="profile">{call.profile}</span>
        <span className="spacer" />
        <VerdictMark ok={call.contactIdOk} title="contact id verdict" />
        <span className="num" title="invite_to_200">
          {fmtMs(call.latency.invite_to_200)}
        </span>
      </div>
      <div className="call-row-line sub">
        <code title={call.callId}>{shortCallId(call.callId)}</code>
        <span className="contact-id" title="contact id">
          {call.contactId ?? <span className="muted">no contact id</span>}
        </span>
      </div>
    </li>
  );
}
