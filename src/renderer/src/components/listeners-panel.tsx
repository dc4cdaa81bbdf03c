import { useState } from 'react';
import type { ListenerInfo } from '../../../shared/types';
import { useLab } from '../store';

function CopyButton({ text }: { text: string }) {
  const [done, setDone] = useState<'copied' | 'failed' | null>(null);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setDone('copied');
    } catch {
      setDone('failed');
    }
    setTimeout(() => setDone(null), 900);
  };
  return (
    <button type="button" className="small" onClick={() => void copy()} title={done === 'failed' ? 'select the address and copy it' : `copy ${text}`}>
      {done === 'copied' ? 'Copied' : done === 'failed' ? 'Select it' : 'Copy'}
    </button>
  );
}

/**
 * The SIP listeners where the app answers as the bot, with the URI to give CXone: route the pseudo
 * number (PLACECALL's target) to one of these.
 */
export function ListenersPanel() {
  const info = useLab((s) => s.info);
  const listeners: ListenerInfo[] = info?.listeners ?? [];
  return (
    <section className="panel listeners-panel" aria-labelledby="listeners-title">
      <h2 id="listeners-title">
        SIP listeners <span className="muted">route the pseudo number here</span>
      </h2>
      {info && listeners.length === 0 && <p className="empty">No listener is up.</p>}
      <ul className="listener-rows" data-testid="listeners">
        {listeners.map((l) => (
          <li key={l.uri} className="listener-row">
            <span className="tag tag-x">{l.transport}</span>
            <code className="listener-uri" title={`${l.transport.toUpperCase()} ${l.host}:${l.port}`}>
              {l.uri}
            </code>
            <CopyButton text={l.uri} />
          </li>
        ))}
      </ul>
    </section>
  );
}
