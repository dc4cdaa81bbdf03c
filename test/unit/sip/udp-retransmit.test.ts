/**
 * The RFC 3261 §17 schedules of UdpRetransmitter, checked on vitest's fake clock (the schedule is
 * the behaviour under test; no wall-clock timing is asserted).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSipMessage, type ParsedSipMessage } from '../../../src/main/sip/message';
import { UdpRetransmitter } from '../../../src/main/sip/udp-retransmit';

const T = { t1Ms: 500, t2Ms: 4000 };

function request(method: string, branch = 'z9hG4bK-a', cseqMethod = method): ParsedSipMessage {
  const text = `${method} sip:x@h SIP/2.0\r\nVia: SIP/2.0/UDP h:5060;branch=${branch}\r\nCSeq: 1 ${cseqMethod}\r\n\r\n`;
  return parseSipMessage(text) as ParsedSipMessage;
}

function response(status: number, method: string, branch = 'z9hG4bK-a'): ParsedSipMessage {
  const text = `SIP/2.0 ${status} X\r\nVia: SIP/2.0/UDP h:5060;branch=${branch}\r\nCSeq: 1 ${method}\r\n\r\n`;
  return parseSipMessage(text) as ParsedSipMessage;
}

let r: UdpRetransmitter;
beforeEach(() => {
  vi.useFakeTimers();
  r = new UdpRetransmitter(T);
});
afterEach(() => {
  r.dispose();
  vi.useRealTimers();
});

describe('UdpRetransmitter', () => {
  it('Timer A: re-sends an INVITE at T1, 2T1, 4T1… and stops at the first response', () => {
    const resend = vi.fn();
    r.onSent(request('INVITE'), resend);
    vi.advanceTimersByTime(499);
    expect(resend).toHaveBeenCalledTimes(0);
    vi.advanceTimersByTime(1); // 500
    expect(resend).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000); // 1500
    expect(resend).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(2000); // 3500
    expect(resend).toHaveBeenCalledTimes(3);
    expect(r.onReceived(response(100, 'INVITE'))).toEqual({ absorb: false });
    vi.advanceTimersByTime(60_000);
    expect(resend).toHaveBeenCalledTimes(3);
    expect(r.pending).toBe(0);
  });

  it('Timer A gives up at 64·T1 (6 re-sends: 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s)', () => {
    const resend = vi.fn();
    r.onSent(request('INVITE'), resend);
    vi.advanceTimersByTime(120_000);
    expect(resend).toHaveBeenCalledTimes(6);
    expect(r.pending).toBe(0);
  });

  it('Timer E: a BYE is re-sent with the interval capped at T2, and stops at a final response', () => {
    const resend = vi.fn();
    r.onSent(request('BYE'), resend);
    vi.advanceTimersByTime(500 + 1000 + 2000 + 4000 + 4000); // 11.5 s
    expect(resend).toHaveBeenCalledTimes(5);
    r.onReceived(response(200, 'BYE'));
    vi.advanceTimersByTime(60_000);
    expect(resend).toHaveBeenCalledTimes(5);
  });

  it('Timer E: after a provisional response the interval becomes T2', () => {
    const resend = vi.fn();
    r.onSent(request('OPTIONS'), resend);
    r.onReceived(response(100, 'OPTIONS'));
    vi.advanceTimersByTime(500); // the pending T1 timer still fires once
    expect(resend).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(3999);
    expect(resend).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(resend).toHaveBeenCalledTimes(2);
  });

  it('a CANCEL and its INVITE share a branch but are separate transactions', () => {
    const invite = vi.fn();
    const cancel = vi.fn();
    r.onSent(request('INVITE'), invite);
    r.onSent(request('CANCEL'), cancel);
    r.onReceived(response(200, 'CANCEL'));
    vi.advanceTimersByTime(500);
    expect(cancel).toHaveBeenCalledTimes(0);
    expect(invite).toHaveBeenCalledTimes(1);
  });

  it('Timer G: a 486 to an INVITE is re-sent (T1 doubling, capped at T2) until the ACK arrives', () => {
    const resend = vi.fn();
    r.onSent(response(486, 'INVITE'), resend);
    vi.advanceTimersByTime(500 + 1000 + 2000 + 4000);
    expect(resend).toHaveBeenCalledTimes(4);
    expect(r.onReceived(request('ACK', 'z9hG4bK-a', 'ACK'))).toEqual({ absorb: false });
    vi.advanceTimersByTime(60_000);
    expect(resend).toHaveBeenCalledTimes(4);
  });

  it('a 2xx to an INVITE is left to sip.js', () => {
    const resend = vi.fn();
    r.onSent(response(200, 'INVITE'), resend);
    vi.advanceTimersByTime(60_000);
    expect(resend).not.toHaveBeenCalled();
  });

  it('Timer J: a retransmitted BYE is answered from the cached final response for 64·T1', () => {
    const resend = vi.fn();
    r.onSent(response(200, 'BYE'), resend);
    expect(r.onReceived(request('BYE'))).toEqual({ absorb: true });
    expect(resend).toHaveBeenCalledTimes(1);
    expect(r.onReceived(request('BYE', 'z9hG4bK-other'))).toEqual({ absorb: false });
    vi.advanceTimersByTime(64 * 500);
    expect(r.onReceived(request('BYE'))).toEqual({ absorb: false });
  });

  it('Timer D: after a non-2xx final and our ACK, a retransmitted final gets the cached ACK again', () => {
    const ack = vi.fn();
    expect(r.onReceived(response(486, 'INVITE'))).toEqual({ absorb: false });
    r.onSent(request('ACK', 'z9hG4bK-a', 'ACK'), ack);
    expect(r.onReceived(response(486, 'INVITE'))).toEqual({ absorb: true });
    expect(ack).toHaveBeenCalledTimes(1);
  });

  it('an ACK for a 2xx (own branch) is not cached', () => {
    const ack = vi.fn();
    r.onSent(request('ACK', 'z9hG4bK-ack2xx', 'ACK'), ack);
    expect(r.onReceived(response(200, 'INVITE', 'z9hG4bK-ack2xx'))).toEqual({ absorb: false });
    expect(ack).not.toHaveBeenCalled();
  });
});
