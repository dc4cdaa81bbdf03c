/**
 * The options of `NodeSipTransport` (sip.js `transportOptions`) and the transport's fixed
 * sizes, apart from node-transport.ts so that the transport file holds its behaviour only.
 */
import type { SipMessageRecord, SipTransportKind } from '../../shared/types';
import type { SipFaultCounters } from './fault-counters';
import type { SipLog } from './sip-log';
import type { StreamSocketFactory } from './stream-connection';
import type { UdpTimerValues } from './udp-retransmit';
import type { InboundLimits } from './validation';

/** RFC 3261 §18.1.1: a UDP request larger than this (bytes) should go over a congestion-controlled transport. */
export const UDP_SIZE_WARNING_BYTES = 1300;

/** How many refusals of one status and phrase are logged at `warn` before the rest go to `debug`. */
export const REFUSALS_LOGGED_PER_KIND = 10;

/** Receive and send buffer asked for the UDP socket (bytes); the kernel may grant less. */
export const UDP_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * The most that `NodeSipTransport.disconnect` waits for writes in flight to flush before it
 * closes the sockets (ms): a cap on waiting for the flush events, not a fixed sleep.
 */
export const FLUSH_CAP_MS = 1000;

/** Options of `NodeSipTransport` (sip.js `transportOptions`). */
export interface NodeSipTransportOptions {
  /** Goes into the Via (`SIP/2.0/UDP`); one value per transport. `TLS` needs a TLS `streamFactory`. */
  protocol: 'UDP' | 'TCP' | 'TLS';
  /** Address to bind (may be a wildcard such as 0.0.0.0). */
  host: string;
  /** Address written in Via sent-by and used for our own URIs; default `host` (must be concrete). */
  advertiseHost?: string;
  /** Port to bind; 0 = ephemeral (read `NodeSipTransport.port` after connect). */
  port: number;
  /** User part our Request-URIs are rewritten to (must be the UA's contactName). */
  user: string;
  /** Receives every message that crossed the socket, in order. */
  onWire?: (rec: SipMessageRecord) => void;
  log?: SipLog;
  /** Where caught faults and refusals are counted (each kind logged once); default: a private counter. */
  faults?: SipFaultCounters;
  /** T1/T2 for the UDP timers (ms). */
  timers?: Partial<UdpTimerValues>;
  /** Caps on an incoming message's size and header count (default: validation.ts DEFAULT_INBOUND_LIMITS). */
  limits?: InboundLimits;
  /** Stream connections close after this long idle (ms); default 120 s. */
  idleTimeoutMs?: number;
  /** Cap on stream message headers (bytes); default 64 KB. */
  maxHeaderBytes?: number;
  /** How stream sockets are made; default {@link tcpSocketFactory}; for `TLS`, a factory of kind `tls` (required). */
  streamFactory?: StreamSocketFactory;
  /**
   * A message could not be sent (`send()` rejects with the same error). `callId` is the message's
   * Call-ID ('' when it has none); `startLine` its first line.
   */
  onSendError?: (callId: string, error: Error, startLine: string) => void;
}

/** The record's transport kind of each Via protocol. */
export const PROTOCOL_KINDS: Readonly<Record<NodeSipTransportOptions['protocol'], SipTransportKind>> = { UDP: 'udp', TCP: 'tcp', TLS: 'tls' };
