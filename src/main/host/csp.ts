/**
 * The dashboard's Content Security Policy, the same for the Electron window (response header set
 * by the session) and the browser host (HTTP header), and written in src/renderer/index.html.
 * Nothing inline, nothing remote; the only connection allowed beyond 'self' is the browser host's
 * WebSocket on loopback.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
