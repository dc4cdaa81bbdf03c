// The SIP layer's logger type, apart from node-transport.ts so that the transport's parts (its
// state machine, its fault counters) can take a logger without importing the transport.

/** Log levels of the SIP layer. */
export type SipLogLevel = 'debug' | 'info' | 'warn' | 'error';
/** The SIP layer's logger. */
export type SipLog = (level: SipLogLevel, msg: string) => void;
