import type { HttpExchange } from '../../../shared/types';
import { fmtMs } from '../format';

function Headers({ headers }: { headers: Record<string, string> }) {
  const entries = Object.entries(headers);
  if (entries.length === 0) return null;
  return (
    <>
      {entries.map(([k, v]) => (
        <div key={k} className={v.includes('[redacted]') ? 'raw-line redacted-line' : 'raw-line'}>
          <span className="raw-name">{k}</span>: {v}
        </div>
      ))}
    </>
  );
}

/** One HTTP exchange as history keeps it (Authorization, tokens and keys redacted), with its phase timings. */
export function HttpExchangeView({ exchange }: { exchange: HttpExchange }) {
  const t = exchange.timings;
  return (
    <div className="exchange" data-testid="http-exchange">
      {t && (
        <p className="muted exchange-timings">
          DNS {fmtMs(t.dnsMs)} · connect {fmtMs(t.connectMs)} · TLS {fmtMs(t.tlsMs)} · first byte {fmtMs(t.firstByteMs)} · total {fmtMs(t.totalMs)}
        </p>
      )}
      <pre className="raw">
        <div className="raw-first">
          {exchange.request.method} {exchange.request.url}
        </div>
        <Headers headers={exchange.request.headers} />
        {exchange.request.body && <div className="raw-body">{exchange.request.body}</div>}
      </pre>
      {exchange.response ? (
        <pre className="raw">
          <div className="raw-first">HTTP {exchange.response.status}</div>
          <Headers headers={exchange.response.headers} />
          {exchange.response.body && <div className="raw-body">{exchange.response.body}</div>}
        </pre>
      ) : (
        <div className="inline-error">no response: {exchange.error ?? 'unknown error'}</div>
      )}
    </div>
  );
}
