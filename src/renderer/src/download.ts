/**
 * Files between the renderer and the lab as bytes (base64): a file the main process built is saved
 * through a `blob:` URL and an `<a download>` (works in the browser host and in Electron, whose
 * session asks where to save); a file the user picked is read and encoded for a request.
 */
import type { ExportedFile } from '../../shared/contract';

/** Decodes base64 into bytes. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const raw = atob(base64);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** Encodes bytes as base64, in chunks (no call-stack limit on large files). */
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(bin);
}

/** Saves an exported file with a `blob:` download; the URL is released after the click. */
export function saveExportedFile(file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([base64ToBytes(file.base64)], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
