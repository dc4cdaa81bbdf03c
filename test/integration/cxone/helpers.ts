/** Shared set-up of the CXone client/emulator integration tests: emulators on 127.0.0.1:0, cleaned up after each test. */
import { afterEach } from 'vitest';
import { CxoneClient, type CxoneClientOptions } from '../../../src/main/cxone/client';
import { TokenCache } from '../../../src/main/cxone/token';
import { CxoneEmulatorApi, type CxoneEmulatorApiOptions, type EmulatorSignalEvent } from '../../../src/main/emulator/api-server';

/** An access key whose id and secret end in `====` like CXone's (the encoding pitfall, cxone-reference.md §1b). */
export const KEY = { accessKeyId: 'AKIDLAB7QX====', accessKeySecret: 'c2VjcmV0+/with/slash====' };
/** A registered app. */
export const APP = { clientId: 'lab-app@vendor', clientSecret: 'app-secret:with=chars' };

const started: CxoneEmulatorApi[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((a) => a.stop()));
});

/** Starts an emulator that accepts {@link KEY} and {@link APP}; stopped after the test. */
export async function emulator(opts: Partial<CxoneEmulatorApiOptions> = {}): Promise<CxoneEmulatorApi> {
  const api = await CxoneEmulatorApi.start({ host: '127.0.0.1', port: 0, accessKeys: [KEY], oauthClients: [APP], ...opts });
  started.push(api);
  return api;
}

/** A client of `api` (access-key tokens, API host given by hand) with its own token cache. */
export function client(api: CxoneEmulatorApi, over: Partial<CxoneClientOptions> = {}): CxoneClient {
  return new CxoneClient({
    authBase: api.baseUrl,
    apiBase: api.baseUrl,
    apiVersion: 'v28.0',
    pathStyle: 'incontactapi',
    credentials: KEY,
    tokenCache: new TokenCache(),
    caPem: api.certPem ?? undefined,
    ...over,
  });
}

/** Collects the emulator's Signal events. */
export function signalsOf(api: CxoneEmulatorApi): EmulatorSignalEvent[] {
  const list: EmulatorSignalEvent[] = [];
  api.on('signal', (e) => list.push(e));
  return list;
}

/** Resolves with the next Signal event that satisfies `pred`. */
export function nextSignal(api: CxoneEmulatorApi, pred: (e: EmulatorSignalEvent) => boolean = () => true): Promise<EmulatorSignalEvent> {
  return new Promise((resolve) => {
    const on = (e: EmulatorSignalEvent): void => {
      if (!pred(e)) return;
      api.off('signal', on);
      resolve(e);
    };
    api.on('signal', on);
  });
}
