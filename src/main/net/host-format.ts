/**
 * Writing a host into a URL, a SIP URI or a `host:port` pair: IPv6 literals go in brackets.
 *
 * @remarks RFC 3986 §3.2.2 (IP-literal in a URI authority), RFC 3261 §25.1 (`IPv6reference` in a SIP
 * URI host). The one place that knows this rule; callers never bracket by hand.
 */

/**
 * A host as it is written before `:port`: an IPv6 literal in brackets (`[::1]`), anything else
 * (a name, an IPv4 address, an already bracketed literal) unchanged.
 * @param host - a host name, IPv4 or IPv6 address (with or without brackets).
 */
export function bracketHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * `host:port`, with an IPv6 host in brackets (`[::1]:5060`, `127.0.0.1:5060`).
 * @param host - a host name, IPv4 or IPv6 address (without brackets).
 * @param port - the port number.
 */
export function formatHostPort(host: string, port: number): string {
  return `${bracketHost(host)}:${port}`;
}
