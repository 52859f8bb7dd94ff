// hash.ts: SHA-256 of text as lowercase hex, the same in Node, a browser and a Worker (no
// node:crypto, no async WebCrypto: the validator and the runner are synchronous).
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** Hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
