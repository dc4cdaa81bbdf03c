// Issue 14: a Signal's contact id explained from the script topology (ONSIGNAL fires in the
// signalled contact's script [H-ONS]); each topology with the right and a wrong leg.
import { describe, expect, it } from 'vitest';
import type { ScriptTopology } from '../../../src/shared/profile';
import { explainSignalledContact, onSignalContactId } from '../../../src/main/emulator/signal-explain';
import { headerContactId } from '../../../src/main/emulator/placecall-headers';
import { describeTopology, headerReachesOnSignal, topologyOf, TOPOLOGY_BEHAVIOUR } from '../../../src/main/profiles/topology';
import { getProfile } from '../../../src/main/profiles';

const view = (topology: ScriptTopology, single = topology.kind === 'single') => {
  const ids = { masterId: '123', childId: single ? '123' : '124' };
  return { topology, ...ids, header: { name: 'X-ContactID', value: headerContactId(topology, ids) } };
};

describe('explainSignalledContact', () => {
  it('single (seed 002): the script that PLACECALLs waits in ONSIGNAL; another id is no contact of the call', () => {
    const v = view({ kind: 'single', headerHolds: 'main', onSignalIn: 'main' });
    expect(explainSignalledContact(v, '123')).toMatchObject({ ok: true, leg: 'main', source: { kind: 'nice', ref: 'H-ONS' } });
    const e = explainSignalledContact(v, '999');
    expect(e).toMatchObject({ ok: false, leg: 'other', onSignalContactId: '123' });
    expect(e.detail).toBe("wrong leg: this id, 999, is not a contact of this call, whose script has no ONSIGNAL, nothing happens; the script waiting in ONSIGNAL is the script's, 123");
  });

  it('main + spawn (seed 000): a Signal to the spawned leg names the Main script', () => {
    const v = view({ kind: 'main-spawn', headerHolds: 'main', onSignalIn: 'main' });
    expect(explainSignalledContact(v, '123').ok).toBe(true);
    expect(explainSignalledContact(v, '124').detail).toBe(
      "wrong leg: this id, 124, is the spawned leg's id (the Spawn script), whose script has no ONSIGNAL, nothing happens; the script waiting in ONSIGNAL is the Main script's, MasterId 123",
    );
  });

  it('parent/child (seed 001): a Signal to the child names the parent; a header that holds the child id is called out', () => {
    const v = view({ kind: 'parent-child', headerHolds: 'placer', onSignalIn: 'main' });
    expect(v.header.value).toBe('124');
    const e = explainSignalledContact(v, '124');
    expect(e.ok).toBe(false);
    expect(e.detail).toContain("the script waiting in ONSIGNAL is the parent script's, MasterId 123");
    expect(e.detail).toContain("CXone put 124 (the child leg's id (the child script)) in X-ContactID, so a bot that signals the id it read reaches no ONSIGNAL");
  });

  it('NICE backchannel ([COG]): the child waits in ONSIGNAL; the MasterId is the wrong leg', () => {
    const v = view({ kind: 'parent-child', headerHolds: 'placer', onSignalIn: 'placer' });
    expect(onSignalContactId(v)).toBe('124');
    expect(explainSignalledContact(v, '124').ok).toBe(true);
    expect(explainSignalledContact(v, '123').detail).toContain("this id, 123, is the parent script's id (the MasterId)");
  });
});

describe('topologies', () => {
  it('each has ONSIGNAL and ONRELEASE behaviour with a source', () => {
    expect(TOPOLOGY_BEHAVIOUR.single.onRelease.source).toMatchObject({ kind: 'seed', ref: '002_3a3aada58f5230c3.txt' });
    expect(TOPOLOGY_BEHAVIOUR.single.onSignal.source).toMatchObject({ kind: 'seed', ref: '002_3a3aada58f5230c3.txt' });
    expect(TOPOLOGY_BEHAVIOUR['main-spawn'].onSignal.source).toMatchObject({ kind: 'seed', ref: '000_d4ad4dad8823db79.txt' });
    expect(TOPOLOGY_BEHAVIOUR['main-spawn'].onRelease.source.kind).toBe('assumed');
    expect(TOPOLOGY_BEHAVIOUR['parent-child'].onSignal.source).toMatchObject({ kind: 'seed', ref: '001_3d23a4ce92d59cc5.txt' });
  });

  it('a run override changes only the fields given', () => {
    const kore = getProfile('kore');
    expect(topologyOf(kore, { headerHolds: 'placer' })).toEqual({ kind: 'main-spawn', headerHolds: 'placer', onSignalIn: 'main' });
    expect(topologyOf(kore, { kind: 'single' })).toEqual({ kind: 'single', headerHolds: 'main', onSignalIn: 'main' });
    expect(headerReachesOnSignal(topologyOf(kore, { headerHolds: 'placer' }))).toBe(false);
    expect(describeTopology(kore.topology)).toBe("main + spawn: the header holds the Main script's ContactId; the Main script waits in ONSIGNAL");
  });
});
