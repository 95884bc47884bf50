/**
 * Address lists from configuration ("10.0.0.0/8, 192.168.1.20, fd00::/8") and
 * the loopback test, for the addresses a socket reports (IPv4-mapped IPv6
 * addresses such as ::ffff:10.1.2.3 count as their IPv4 address).
 */
import net from "node:net";

export interface AddressList {
  /** Whether an address (as a socket reports it) is in the list; false when unknown. */
  has(address: string | undefined): boolean;
}

/** An IPv4-mapped IPv6 address as its IPv4 address; anything else unchanged. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

/** Parses a comma list of addresses and CIDR blocks; throws naming the first bad entry. */
export function parseAddressList(spec: string): AddressList {
  const list = new net.BlockList();
  const parts = spec
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new Error("the list is empty");
  for (const part of parts) {
    const [raw, bits, extra] = part.split("/");
    const address = unmapped(raw ?? "");
    const family = net.isIP(address);
    const max = family === 4 ? 32 : 128;
    const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
    if (family === 0 || extra !== undefined || !(prefix >= 0 && prefix <= max))
      throw new Error(`'${part}' is not an IP address or CIDR block (such as 10.0.0.0/8 or fd00::/8)`);
    list.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
  }
  return {
    has(address) {
      if (!address) return false;
      const a = unmapped(address);
      const family = net.isIP(a);
      return family !== 0 && list.check(a, family === 4 ? "ipv4" : "ipv6");
    },
  };
}

const LOOPBACK = parseAddressList("127.0.0.0/8, ::1/128");

/** 127.0.0.0/8, ::1 and ::ffff:127.x.x.x. */
export function isLoopback(address: string | undefined): boolean {
  return LOOPBACK.has(address);
}
