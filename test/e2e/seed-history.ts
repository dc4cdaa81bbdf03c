/**
 * Seeds a history database with many finished calls, written through HistoryStore (the same code
 * path as the app), for the History screen's search and scrolling test. Deterministic: call `i`
 * has contact id `7000000000 + i`, Call-ID `seed-<i>@lab.test`, From `sip:+1555200<i>@pstn.example`.
 */
import { randomUUID } from 'node:crypto';
import { HistoryStore } from '../../src/main/history/store';
import type { CallToSave } from '../../src/main/history/rows';

/** What was seeded, for the test's assertions. */
export interface Seeded {
  count: number;
  /** Contact id of call `i`. */
  contactId(i: number): string;
  /** Start (Unix ms) of the oldest and the newest seeded call. */
  oldestWallMs: number;
  newestWallMs: number;
}

const PROFILES = ['kore', 'synthflow', 'watson', 'polyai'] as const;

/** Writes `count` calls (in runs of 500) into the database file, oldest first, the newest ending an hour ago. */
export function seedHistory(dbFile: string, count: number): Seeded {
  const store = HistoryStore.open(dbFile);
  const newest = Date.now() - 3_600_000;
  const stepMs = 60_000;
  const oldest = newest - (count - 1) * stepMs;
  try {
    store.transaction(() => {
      let runId = '';
      for (let i = 0; i < count; i++) {
        const profile = PROFILES[Math.floor(i / 500) % PROFILES.length]!;
        const started = oldest + i * stepMs;
        if (i % 500 === 0) {
          runId = store.createRun({ kind: 'handoff', profile, transport: i % 1000 === 0 ? 'udp' : 'tcp', startedWallMs: started });
        }
        const ok = i % 7 !== 3;
        const call: CallToSave = {
          id: randomUUID(),
          runId,
          callId: `seed-${i}@lab.test`,
          role: 'uas',
          transport: 'udp',
          profile,
          state: 'ended',
          from: `"Caller ${i}" <sip:+1555200${String(i).padStart(5, '0')}@pstn.example>;tag=${i}`,
          to: '<sip:15550100@bot.example>',
          requestUri: 'sip:15550100@bot.example',
          contactId: String(7_000_000_000 + i),
          contactIdOk: ok,
          startedWallMs: started,
          endedWallMs: started + 20_000,
          end: { by: 'remote', reason: 'BYE' },
          latency: {
            invite_to_100: 2 + (i % 5),
            invite_to_180: 5 + (i % 9),
            invite_to_200: 40 + ((i * 37) % 160),
            answer_to_first_rtp: 20 + ((i * 13) % 40),
            signal_http_ms: 80 + ((i * 17) % 300),
            signal_to_bye_ms: 150 + ((i * 29) % 600),
          },
        };
        store.saveCall(call);
      }
    });
  } finally {
    store.close();
  }
  return { count, contactId: (i) => String(7_000_000_000 + i), oldestWallMs: oldest, newestWallMs: newest };
}
