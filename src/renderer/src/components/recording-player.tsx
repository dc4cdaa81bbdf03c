import { useEffect, useState } from 'react';
import { fmtBytes } from '../format';
import { labApi } from '../store';

/**
 * Plays a call's WAV recording: fetched with `calls/recording` (bytes, base64) on request and
 * played from a `blob:` URL (CSP `media-src 'self' blob:`), released when the call changes.
 */
export function RecordingPlayer({ callRef, hasRecording, live }: { callRef: string; hasRecording: boolean; live: boolean }) {
  const [url, setUrl] = useState<string | null>(null);
  const [bytes, setBytes] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setUrl(null);
    setError(null);
    setBytes(null);
  }, [callRef]);
  useEffect(() => () => {
    if (url) URL.revokeObjectURL(url);
  }, [url]);

  if (!hasRecording) return <p className="empty">{live ? 'The recording is available once the call has ended.' : 'No recording of this call.'}</p>;

  const load = async (): Promise<void> => {
    const api = labApi();
    if (!api) return;
    setBusy(true);
    setError(null);
    const r = await api['calls/recording']({ id: callRef });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    const raw = atob(r.value.base64);
    const buf = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) buf[i] = raw.charCodeAt(i);
    setBytes(r.value.bytes);
    setUrl(URL.createObjectURL(new Blob([buf], { type: r.value.mime })));
  };

  return (
    <div className="recording" data-testid="recording">
      {url ? (
        <>
          <audio controls src={url} data-testid="recording-audio" />
          {bytes !== null && <span className="muted">{fmtBytes(bytes)} WAV</span>}
        </>
      ) : (
        <button type="button" onClick={() => void load()} disabled={busy} data-testid="load-recording">
          {busy ? 'Loading…' : 'Play the recording'}
        </button>
      )}
      {error && <div className="inline-error">{error}</div>}
    </div>
  );
}
