/**
 * Two SipEndpoints on loopback (UDP) with media options, and an answered call between them:
 * A (uac) calls B (uas), B accepts. Plus a bag of what a test set up, released after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaConfig } from '../../../src/main/media/media-config';
import type { SipCall } from '../../../src/main/sip/call';
import { nextIncomingCall, startEndpoint, type TestEndpoint } from '../sip/endpoints';

/** The two endpoints and their legs of one answered call. */
export interface MediaCallPair {
  a: TestEndpoint;
  b: TestEndpoint;
  /** A's leg (uac) and B's leg (uas). */
  aCall: SipCall;
  bCall: SipCall;
  /** Stops both endpoints. */
  stop(): Promise<void>;
}

/** Starts A and B with their media options and sets up an answered call from A to B. */
export async function answeredCall(aMedia: MediaConfig = {}, bMedia: MediaConfig = {}): Promise<MediaCallPair> {
  const a = await startEndpoint('udp', 'alice', { media: aMedia });
  const b = await startEndpoint('udp', 'bob', { media: bMedia });
  const stop = async (): Promise<void> => {
    await Promise.all([a.ep.stop(), b.ep.stop()]);
  };
  try {
    const incoming = nextIncomingCall(b.ep);
    const aCall = a.ep.invite(b.ep.listener.uri);
    const bCall = await incoming;
    await bCall.accept();
    await aCall.waitForState('answered', 5000);
    return { a, b, aCall, bCall, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** What one test set up, released in `afterEach` by {@link MediaTestBag.release}: calls, relays, temp dirs. */
export class MediaTestBag {
  private readonly closers: (() => Promise<void> | void)[] = [];

  /** {@link answeredCall}, stopped on release. */
  async call(aMedia: MediaConfig = {}, bMedia: MediaConfig = {}): Promise<MediaCallPair> {
    const p = await answeredCall(aMedia, bMedia);
    this.closers.push(() => p.stop());
    return p;
  }

  /** A new temp directory, removed on release. */
  tempDir(prefix = 'media-'): string {
    const d = mkdtempSync(join(tmpdir(), prefix));
    this.closers.push(() => rmSync(d, { recursive: true, force: true }));
    return d;
  }

  /** Anything else to close on release (a relay, a socket). @returns what it was given. */
  add<T extends { close(): Promise<void> | void }>(thing: T): T {
    this.closers.push(() => thing.close());
    return thing;
  }

  /** Closes everything, newest first. */
  async release(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close();
  }
}
