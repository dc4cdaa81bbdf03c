import type { SipMessageRecord } from '../../../shared/types';
import { isXHeader } from '../format';

/**
 * The exact text of one SIP message as it crossed the socket, header names emphasised, X- headers
 * marked and the contact-id header highlighted.
 */
export function RawMessage({ message, contactHeader, onClose }: { message: SipMessageRecord; contactHeader: string | null; onClose: () => void }) {
  const [head, ...bodyParts] = message.raw.split(/\r?\n\r?\n/);
  const body = bodyParts.join('\n\n');
  const lines = (head ?? '').split(/\r?\n/);
  return (
    <div className="raw-message" data-testid="raw-message" role="region" aria-label="Raw SIP message">
      <div className="raw-head">
        <span>
          {message.direction === 'out' ? 'Sent' : 'Received'} over {message.transport.toUpperCase()} · {message.local}{' '}
          {message.direction === 'out' ? '→' : '←'} {message.remote} · {message.raw.length} bytes
        </span>
        <span className="spacer" />
        <button type="button" onClick={onClose} aria-label="Close the raw message">
          Close
        </button>
      </div>
      <pre className="raw">
        {lines.map((line, i) => {
          const m = i === 0 ? null : /^([^:\s]+)(\s*:)(.*)$/.exec(line);
          if (!m) return <div key={i} className={i === 0 ? 'raw-first' : undefined}>{line}</div>;
          const name = m[1]!;
          const cls = name === contactHeader ? 'raw-line contact-id-line' : isXHeader(name) ? 'raw-line x-line' : 'raw-line';
          return (
            <div key={i} className={cls}>
              <span className="raw-name">{name}</span>
              {m[2]}
              {m[3]}
            </div>
          );
        })}
        {body && (
          <>
            <div className="raw-blank" />
            <div className="raw-body">{body}</div>
          </>
        )}
      </pre>
    </div>
  );
}
