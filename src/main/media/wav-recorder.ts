/**
 * Records the decoded far-end audio of one call to a WAV file (8000 Hz, 16-bit, mono), keeping
 * time: samples are placed by their RTP timestamp, so lost packets (and a pause of the sender
 * whose timestamps kept running, as during a DTMF event) become silence of the same length.
 *
 * The file is written as audio arrives (a second of audio held back for reordered packets) with
 * synchronous writes, and finalised synchronously by {@link WavRecorder.close} (RIFF and data
 * sizes), so it is complete as soon as the call's RTP handler is closed.
 *
 * @remarks RFC 3550 §5.1 (timestamp = sampling instant of the first octet); the header comes from
 * `wavefile` (an empty 8 kHz 16-bit mono file) and its two sizes are patched on close.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import wavefile from 'wavefile';
import { CLOCK_RATE } from './media-config';

/** Samples held back for reordered packets before they are written (1 s). */
const REORDER_WINDOW = CLOCK_RATE;
/** A timestamp step larger than this (either way) starts a new segment instead of filling silence (30 s). */
const MAX_GAP = 30 * CLOCK_RATE;
/** Offsets of the RIFF chunk size and the data chunk size in the canonical 44-byte header. */
const RIFF_SIZE_OFFSET = 4;
const DATA_SIZE_OFFSET = 40;

function emptyWavHeader(): Buffer {
  const w = new wavefile.WaveFile();
  w.fromScratch(1, CLOCK_RATE, '16', new Int16Array(0));
  return Buffer.from(w.toBuffer());
}

/** The WAV recording of one call (see the file comment). */
export class WavRecorder {
  private fd: number | undefined;
  private failed = false;
  private closed = false;
  /** Samples written to the file so far. */
  private flushed = 0;
  /** Samples after `flushed`, not yet written (zeros where nothing arrived). */
  private pending = new Int16Array(REORDER_WINDOW * 2);
  /** Samples of the timeline so far (`flushed` + used part of `pending`). */
  private end = 0;
  private segment: { ssrc: number; baseTs: number; start: number } | undefined;
  private headerLength = 44;

  /**
   * @param path - the WAV file to write (its directory is created; the file is created at the first audio).
   * @param log - gets I/O failures (recording then stops; the call goes on).
   */
  constructor(
    readonly path: string,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  /** The file's path once it exists (audio arrived and it could be created), else null. */
  get recordingPath(): string | null {
    return this.fd !== undefined || this.flushed > 0 ? this.path : null;
  }

  /** Adds the decoded samples of one audio packet of `ssrc` with RTP timestamp `ts`. */
  write(ssrc: number, ts: number, samples: Int16Array): void {
    if (this.closed || this.failed || samples.length === 0) return;
    if (!this.open()) return;
    let pos = this.position(ssrc, ts);
    if (pos === undefined) {
      this.segment = { ssrc, baseTs: ts, start: this.end };
      pos = this.end;
    }
    if (pos < this.flushed) return; // too late: that part of the file is written
    const needed = pos + samples.length - this.flushed;
    if (needed > this.pending.length) this.grow(needed);
    this.pending.set(samples, pos - this.flushed);
    this.end = Math.max(this.end, pos + samples.length);
    if (this.end - this.flushed > REORDER_WINDOW * 2) this.flush(this.end - REORDER_WINDOW);
  }

  /**
   * Writes what is held back and the final sizes, and closes the file (idempotent).
   * @returns the path when a file was written, else null.
   */
  close(): string | null {
    if (this.closed) return this.recordingPath;
    this.closed = true;
    if (this.fd === undefined) return null;
    const fd = this.fd;
    try {
      this.flush(this.end);
      const dataBytes = this.flushed * 2;
      const sizes = Buffer.alloc(4);
      sizes.writeUInt32LE(Math.min(0xffffffff, this.headerLength - 8 + dataBytes));
      writeSync(fd, sizes, 0, 4, RIFF_SIZE_OFFSET);
      sizes.writeUInt32LE(Math.min(0xffffffff, dataBytes));
      writeSync(fd, sizes, 0, 4, DATA_SIZE_OFFSET);
    } catch (e) {
      this.log(`recording ${this.path}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    return this.path;
  }

  /** Timeline position of a packet in the current segment, or undefined when it starts a new one. */
  private position(ssrc: number, ts: number): number | undefined {
    const seg = this.segment;
    if (!seg || seg.ssrc !== ssrc) return undefined;
    const pos = seg.start + ((ts - seg.baseTs) | 0);
    return pos < this.flushed - MAX_GAP || pos > this.end + MAX_GAP ? undefined : pos;
  }

  private open(): boolean {
    if (this.fd !== undefined) return true;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'w');
      const header = emptyWavHeader();
      this.headerLength = header.length;
      writeSync(this.fd, header);
      return true;
    } catch (e) {
      this.failed = true;
      this.log(`cannot record to ${this.path}: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }

  private grow(needed: number): void {
    const next = new Int16Array(Math.max(needed, this.pending.length * 2));
    next.set(this.pending);
    this.pending = next;
  }

  /** Writes the timeline up to sample `upTo` and drops it from `pending`. */
  private flush(upTo: number): void {
    const count = upTo - this.flushed;
    if (count <= 0 || this.fd === undefined) return;
    try {
      // Int16Array holds the platform's byte order: little-endian on every platform Node ships for, as WAV wants.
      const bytes = Buffer.from(this.pending.buffer, this.pending.byteOffset, count * 2);
      writeSync(this.fd, bytes);
    } catch (e) {
      this.failed = true;
      this.log(`recording ${this.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.pending.copyWithin(0, count);
    this.pending.fill(0, this.pending.length - count);
    this.flushed = upTo;
  }
}
