/**
 * The embedded CXone: the emulator's API on loopback with a per-launch access key that exists only
 * in this process (never stored), and CXone clients for it, one per API version and path style.
 */
import { randomBytes } from 'node:crypto';
import type { VendorProfile } from '../../shared/profile';
import { CxoneClient } from '../cxone/client';
import { CxoneEmulatorApi } from './api-server';

/** A running embedded CXone. */
export interface EmbeddedCxone {
  api: CxoneEmulatorApi;
  /** A client of this emulator using the profile's API version and path style (cached). */
  clientFor(profile: Pick<VendorProfile, 'apiVersion' | 'pathStyle'>): CxoneClient;
  stop(): Promise<void>;
}

/**
 * Starts the emulator's API on `host`, port 0.
 * @throws Error when the port cannot be bound.
 */
export async function startEmbeddedCxone(host = '127.0.0.1'): Promise<EmbeddedCxone> {
  const key = { accessKeyId: `emu-${randomBytes(6).toString('hex')}`, accessKeySecret: randomBytes(24).toString('base64') };
  const api = await CxoneEmulatorApi.start({ host, port: 0, accessKeys: [key] });
  const clients = new Map<string, CxoneClient>();
  return {
    api,
    clientFor(profile) {
      const k = `${profile.apiVersion} ${profile.pathStyle}`;
      let c = clients.get(k);
      if (!c) {
        // keepAlive: the API is in this process, so a connection per Signal costs both ends (see http.ts).
        c = new CxoneClient({ authBase: api.baseUrl, apiBase: api.baseUrl, apiVersion: profile.apiVersion, pathStyle: profile.pathStyle, credentials: key, keepAlive: true });
        clients.set(k, c);
      }
      return c;
    },
    stop: () => api.stop(),
  };
}
