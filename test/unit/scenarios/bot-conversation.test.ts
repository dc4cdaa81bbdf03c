/** The reference bot's Signal parameters from what it heard: templates, and the heard summary in the first free p2..p9. */
import { describe, expect, it } from 'vitest';
import { fillParams } from '../../../src/main/scenarios/bot-conversation';

const heard = { digits: '2#', speechMs: 1400, summary: 'dtmf:2#,speech:1.4s' };

describe('fillParams', () => {
  it('fills {heard}, {digits} and {contact_id} in given values and adds nothing else', () => {
    expect(fillParams({ p1: 'AgentHandoff', p3: 'kore-{digits}', p5: '{contact_id}:{heard}' }, heard, '12345', false)).toEqual({
      p1: 'AgentHandoff',
      p3: 'kore-2#',
      p5: '12345:dtmf:2#,speech:1.4s',
    });
  });

  it("puts the summary in the first parameter the profile's Signal leaves free", () => {
    expect(fillParams({ p1: 'AgentHandoff', p3: 'kore-session-0001' }, heard, '1', true)).toEqual({ p1: 'AgentHandoff', p2: 'dtmf:2#,speech:1.4s', p3: 'kore-session-0001' });
    expect(fillParams({ p1: 'a', p2: 'b' }, heard, '1', true)).toMatchObject({ p3: 'dtmf:2#,speech:1.4s' });
    const full = { p1: '1', p2: '2', p3: '3', p4: '4', p5: '5', p6: '6', p7: '7', p8: '8', p9: '9' };
    expect(fillParams(full, heard, '1', true)).toEqual(full); // PolyAI's nine: nothing to add
  });
});
