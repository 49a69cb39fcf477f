/**
 * The classic pcap file format (what libpcap, tcpdump and Wireshark read;
 * draft-ietf-opsawg-pcap): a 24-byte file header, then per packet a 16-byte
 * record header and the frame. Written little-endian with the microsecond
 * magic. Browser-safe.
 *
 *   file header    a1b2c3d4 | 2 | 4 | 0 | 0 | snaplen | linktype 1 (Ethernet)
 *   record header  seconds | microseconds | captured length | original length
 */

const MAGIC_MICROSECONDS = 0xa1b2c3d4;
const LINKTYPE_ETHERNET = 1;
/** Wireshark's own largest snapshot length; every frame we write fits in it whole. */
export const SNAPLEN = 262_144;

export function pcapFileHeader(): Uint8Array {
  const out = new Uint8Array(24);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC_MICROSECONDS, true);
  view.setUint16(4, 2, true); // version 2.4
  view.setUint16(6, 4, true);
  view.setUint32(16, SNAPLEN, true);
  view.setUint32(20, LINKTYPE_ETHERNET, true);
  return out;
}

/** A packet record: its header and the frame, in one array. `micros` is microseconds since 1970. */
export function pcapRecord(micros: number, frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + frame.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(micros / 1e6), true);
  view.setUint32(4, micros % 1e6, true);
  view.setUint32(8, frame.length, true);
  view.setUint32(12, frame.length, true);
  out.set(frame, 16);
  return out;
}
