/**
 * The sender's own pacing jitter, to tell a receiver's measurement apart from a busy machine:
 * RFC 3550 A.8's estimator applied to the instants the sender handed its packets to the socket,
 * against the 20 ms they should be apart.
 */

/** A.8 jitter (ms) of send instants (monotonic ms) that should be `ptimeMs` apart. */
export function sendJitterMs(sendMonoMs: readonly number[], ptimeMs = 20): number {
  let j = 0;
  for (let k = 1; k < sendMonoMs.length; k++) j += (Math.abs(sendMonoMs[k]! - sendMonoMs[k - 1]! - ptimeMs) - j) / 16;
  return j;
}
