// What a replay carries over from a stored INVITE: X- headers in order with their exact case (a
// repeated one repeated), the From user and display name, the To user for a target without one.
import { describe, expect, it } from 'vitest';
import { displayName, replayParts, targetWithUser, uriUser } from '../../../src/main/replay/replay-headers';

describe('replay parts', () => {
  it('takes the X- headers as received, and the From/To users', () => {
    const p = replayParts([
      { name: 'Via', value: 'SIP/2.0/UDP 10.1.2.3' },
      { name: 'From', value: '"Alice Smith" <sip:+15551234567@cxone.example>;tag=1' },
      { name: 'To', value: '<sip:15550100@bot.example>' },
      { name: 'x-externalcallid', value: '123' },
      { name: 'X-ContactID', value: '701234567890' },
      { name: 'X-ContactID', value: '701234567891' },
    ]);
    expect(p.headers).toEqual([
      { name: 'x-externalcallid', value: '123' },
      { name: 'X-ContactID', value: '701234567890' },
      { name: 'X-ContactID', value: '701234567891' },
    ]);
    expect(p).toMatchObject({ fromUser: '+15551234567', fromDisplayName: 'Alice Smith', toUser: '15550100' });
  });

  it('reads users of sip:, tel: and user-less URIs', () => {
    expect(uriUser('<sip:bob@host>;tag=x')).toBe('bob');
    expect(uriUser('tel:+15551234567')).toBe('+15551234567');
    expect(uriUser('<sip:10.0.0.5:5060>')).toBeNull();
    expect(uriUser('garbage')).toBeNull();
    expect(displayName('Bob <sip:bob@h>')).toBe('Bob');
    expect(displayName('<sip:bob@h>')).toBeNull();
  });

  it('puts the To user in a target without one, keeps a target that names one', () => {
    expect(targetWithUser('sip:10.0.0.5:5060;transport=tcp', '15550100')).toBe('sip:15550100@10.0.0.5:5060;transport=tcp');
    expect(targetWithUser('sip:bot@10.0.0.5', '15550100')).toBe('sip:bot@10.0.0.5');
    expect(targetWithUser('sip:10.0.0.5', null)).toBe('sip:10.0.0.5');
  });
});
