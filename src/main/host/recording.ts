/**
 * Reads a call's WAV recording for the renderer (`calls/recording`). The renderer names a call id,
 * never a path: the path comes from the call's media report in history, written by the media
 * engine. The file must still be a regular `.wav` file with a RIFF/WAVE header and at most
 * {@link MAX_RECORDING_BYTES}; its bytes travel base64-encoded over either host (the Electron
 * renderer and the browser make a `blob:` URL of them; CSP `media-src 'self' blob:`).
 */
import { open } from 'node:fs/promises';
import { extname, isAbsolute } from 'node:path';
import type { RecordingData } from '../../shared/contract';

/** The largest recording served (bytes): about 35 minutes of 8 kHz 16-bit mono. */
export const MAX_RECORDING_BYTES = 32 * 1024 * 1024;

/**
 * Reads a recording.
 * @param path - absolute path from the call's `MediaReport.recordingPath`.
 * @throws Error with a message for the user when the path is not an absolute `.wav`, the file is
 *   missing, too large, not a regular file, or not RIFF/WAVE.
 */
export async function readRecording(path: string, maxBytes: number = MAX_RECORDING_BYTES): Promise<RecordingData> {
  if (!isAbsolute(path) || extname(path).toLowerCase() !== '.wav') throw new Error('the recording path is not an absolute .wav path');
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    throw new Error('the recording file is gone (deleted or moved)');
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error('the recording is not a regular file');
    if (st.size > maxBytes) throw new Error(`the recording is too large to play here (${st.size} bytes, limit ${maxBytes})`);
    const data = await fh.readFile();
    if (data.length < 12 || data.toString('latin1', 0, 4) !== 'RIFF' || data.toString('latin1', 8, 12) !== 'WAVE') {
      throw new Error('the recording is not a WAV file (no RIFF/WAVE header)');
    }
    return { mime: 'audio/wav', base64: data.toString('base64'), bytes: data.length };
  } finally {
    await fh.close();
  }
}
