/**
 * Reads a capture file (classic pcap in any byte order and stamp resolution, or pcapng) into its
 * frames, through the maintained parser `@netkitty/pcap-core` (format detected by magic number;
 * pcapng interfaces with their `if_tsresol`; corrupt input reported, never thrown).
 *
 * The package's `exports` map offers only a `require` entry, so it is loaded with `createRequire`
 * (its types still come from the package).
 */
import { createRequire } from 'node:module';

type PcapCore = typeof import('@netkitty/pcap-core');
type ParserCtor = PcapCore['PcapParserCore'];
type ParserInstance = InstanceType<ParserCtor>;
type NgInterface = ReturnType<ParserInstance['ngInterface']>;

const { PcapParserCore } = createRequire(import.meta.url)('@netkitty/pcap-core') as PcapCore;

/** One captured frame. */
export interface CapturedFrame {
  /** 1-based index in the file. */
  index: number;
  /** Capture time, Unix ms (fractional: microsecond or better). */
  wallMs: number;
  /** LINKTYPE of the frame's interface (1 Ethernet, 113 Linux SLL, 276 SLL2, 101 raw IP, 0 BSD loopback…). */
  linkType: number;
  data: Buffer;
}

/** What a capture file held. */
export interface CaptureContents {
  format: 'pcap' | 'pcapng' | null;
  frames: CapturedFrame[];
  /** Why reading stopped early (a corrupt or truncated file); null when the whole file was read. */
  error: string | null;
}

/**
 * The parser, taught to tell which interface (and so which link type) each pcapng packet came
 * from: the base class looks the interface up just before it emits the packet.
 */
class LinkTypedParser extends PcapParserCore {
  lastLinkType = 1;

  /** Bytes left over once the input ended: a record cut short (a truncated file). */
  get leftover(): number {
    return this.buffer?.length ?? 0;
  }

  protected override ngInterface(interfaceId: number): NgInterface {
    const i = super.ngInterface(interfaceId);
    this.lastLinkType = i.linkLayerType;
    return i;
  }
}

/**
 * Reads every frame of a capture held in memory.
 * @returns the frames in file order; `error` says why the rest was not read (the frames before it
 *   are kept). Never throws.
 */
export function readCapture(bytes: Uint8Array): CaptureContents {
  const frames: CapturedFrame[] = [];
  let error: string | null = null;
  let classicLinkType = 1;
  let data: Buffer | null = null;
  const parser: LinkTypedParser = new LinkTypedParser({
    onGlobalHeader: (h) => (classicLinkType = h.linkLayerType),
    onPacketData: (d) => (data = d),
    onPacket: (info) => {
      const frame = data ?? Buffer.from(info.packet, 'base64');
      data = null;
      frames.push({
        index: info.index,
        wallMs: info.seconds * 1000 + info.nanoseconds / 1e6,
        linkType: parser.format === 'pcapng' ? parser.lastLinkType : classicLinkType,
        data: Buffer.from(frame),
      });
    },
    onError: (e) => (error = e.message),
  });
  try {
    parser.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    parser.end();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  if (parser.format === null && error === null) error = 'not a pcap or pcapng file (unknown magic number)';
  if (error === null && parser.leftover > 0) error = `the file is truncated: its last ${parser.leftover} bytes are not a whole packet record`;
  return { format: parser.format, frames, error };
}
