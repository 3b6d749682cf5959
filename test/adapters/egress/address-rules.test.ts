/**
 * The egress policy's address rules (src/adapters/egress/address-rules.ts): each kind of address a repository's
 * automation may not reach, in every form that leads to it (IPv4-mapped, IPv4-compatible, NAT64, 6to4), refused
 * with its own code; public addresses, in the same forms, pass.
 */
import { describe, expect, it } from "vitest";
import { addressRule, EGRESS_CODES } from "../../../src/adapters/index.js";

const REFUSED: Record<string, string[]> = {
  [EGRESS_CODES.loopback]: [
    "127.0.0.1",
    "127.255.255.254",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::127.0.0.1",
    "64:ff9b::127.0.0.1",
    "64:ff9b::7f00:1",
    "2002:7f00:1::1",
  ],
  [EGRESS_CODES.private]: [
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "::ffff:10.0.0.1",
    "::ffff:192.168.0.10",
    "64:ff9b::10.1.2.3",
    "2002:c0a8:101::1",
    "fec0::1",
    "64:ff9b:1::a00:1",
  ],
  [EGRESS_CODES.linkLocal]: [
    "169.254.169.254",
    "169.254.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a9fe:a9fe",
    "fe80::1",
    "fe80::1%eth0",
    "febf::1",
  ],
  [EGRESS_CODES.cgnat]: ["100.64.0.1", "100.100.100.200", "100.127.255.255", "::ffff:100.64.0.1"],
  [EGRESS_CODES.uniqueLocal]: ["fc00::1", "fd00:ec2::254", "fdff:ffff::1"],
  [EGRESS_CODES.multicast]: ["224.0.0.1", "239.255.255.250", "::ffff:224.0.0.251", "ff02::1", "ff05::1:3"],
  [EGRESS_CODES.unspecified]: ["0.0.0.0", "0.1.2.3", "::", "::ffff:0.0.0.0", "64:ff9b::0.0.0.0"],
  [EGRESS_CODES.broadcast]: ["255.255.255.255", "::ffff:255.255.255.255"],
  [EGRESS_CODES.reserved]: [
    "192.0.0.170",
    "192.0.2.1",
    "198.51.100.7",
    "203.0.113.9",
    "198.18.0.1",
    "198.19.255.255",
    "192.88.99.1",
    "240.0.0.1",
    "2001::1",
    "2001:db8::1",
    "100::1",
    "3fff::1",
    "5f00::1",
    "4000::1",
    "::8.8.8.8",
    "not an address",
  ],
};

const REACHABLE = [
  "8.8.8.8",
  "1.1.1.1",
  "93.184.216.34",
  "172.15.255.255",
  "172.32.0.1",
  "100.63.255.255",
  "100.128.0.1",
  "169.253.255.255",
  "223.255.255.255",
  "2606:4700:4700::1111",
  "2001:4860:4860::8888",
  "::ffff:8.8.8.8",
  "64:ff9b::8.8.8.8",
  "2002:808:808::1",
];

describe("the egress policy's address rules: address → verdict", () => {
  for (const [code, addresses] of Object.entries(REFUSED)) {
    for (const address of addresses) {
      it(`${address} is refused with ${code}`, () => {
        expect(addressRule(address)?.code).toBe(code);
      });
    }
  }

  for (const address of REACHABLE) {
    it(`${address} may be reached`, () => {
      expect(addressRule(address)).toBeNull();
    });
  }

  it("169.254.169.254's reason names the cloud metadata service", () => {
    expect(addressRule("169.254.169.254")?.what).toMatch(/metadata/);
  });
});
