// link.ts: a whole scenario in a URL fragment, and back. The fragment is versioned and carries the
// scenario's compact JSON, raw-deflated (fflate) and base64url-encoded, optionally followed by a
// moment to open at (virtual time in ms, event index):
//     <base>#s1.<payload>[.t<ms>][.e<index>]
// Decoding never throws: every failure is a LinkError value, so a pasted or mangled link cannot
// break the page or touch stored work. Sizes are bounded before any work that grows with them.
import { deflateSync, Inflate } from "fflate";
import { err, ok, type Result } from "../engine/result.ts";
import { loadScenario } from "./load.ts";
import type { Scenario } from "./schema.ts";
import type { Problem } from "./validate.ts";

export const LINK_VERSION = 1;
/** Where links point when no base is given (the dev server `npm start` serves). */
export const DEFAULT_BASE = "http://127.0.0.1:5173/";
/** Longest fragment decoded (characters): 16 times the library's links, far below a browser's. */
export const MAX_FRAGMENT = 32_000;
/** Largest scenario JSON a link may inflate to (bytes): a bound on zip bombs. */
export const MAX_INFLATED = 256 * 1024;
/** Compressed bytes fed to the inflater at a time: deflate expands 1032:1 at most. */
const INFLATE_CHUNK = 1024;

export interface Moment {
  /** Virtual time to open at, ms since boot. */
  atMs?: number;
  /** Index in the event stream to select. */
  event?: number;
}

export interface Decoded {
  scenario: Scenario;
  moment: Moment;
}

export type LinkErrorKind = "syntax" | "version" | "payload" | "too-large" | "scenario";

export interface LinkError {
  kind: LinkErrorKind;
  message: string;
  /** For kind "scenario": the validator's problems. */
  problems: Problem[];
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

function toBase64url(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += B64[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/** Strict base64url without padding; null on a bad character or length. */
function fromBase64url(s: string): Uint8Array | null {
  if (s.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    const chunk = s.slice(i, i + 4);
    for (let k = 0; k < 4; k++) {
      const c = chunk[k];
      const v = c === undefined ? 0 : B64_INDEX.get(c);
      if (v === undefined) return null;
      n = (n << 6) | v;
    }
    const bytes = chunk.length - 1;
    for (let k = 0; k < bytes; k++) out[o++] = (n >> (16 - 8 * k)) & 255;
  }
  return out.subarray(0, o);
}

/** Whether a link is short enough for the decoder (and so for sharing). */
export function linkFits(link: string): boolean {
  const hash = link.indexOf("#");
  return link.length - hash - 1 <= MAX_FRAGMENT;
}

/** A link whose payload is `text` as is (tests and tools: links of arbitrary documents). */
export function encodeLinkText(text: string, base = DEFAULT_BASE): string {
  const bytes = deflateSync(new TextEncoder().encode(text), { level: 9, mem: 8 });
  return `${base.split("#")[0]}#s${LINK_VERSION}.${toBase64url(bytes)}`;
}

/** The link of scenario `s` (compact JSON, so the same scenario always gives the same link). */
export function encodeLink(s: Scenario, moment: Moment = {}, base = DEFAULT_BASE): string {
  let frag = encodeLinkText(JSON.stringify(s), "").slice(1);
  if (moment.atMs !== undefined) frag += `.t${Math.round(moment.atMs)}`;
  if (moment.event !== undefined) frag += `.e${moment.event}`;
  return `${base.split("#")[0]}#${frag}`;
}

function fail(kind: LinkErrorKind, message: string, problems: Problem[] = []) {
  return err<LinkError>({ kind, message, problems });
}

/**
 * Inflates raw deflate data, stopping as soon as the output passes `limit` bytes (a zip bomb
 * costs at most one chunk's expansion past it). @returns the bytes, "too-large", or null when
 * the data is not valid deflate.
 */
function inflateBounded(data: Uint8Array, limit: number): Uint8Array | "too-large" | null {
  const parts: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const inf = new Inflate((chunk, final) => {
    parts.push(chunk);
    total += chunk.length;
    ended ||= final;
  });
  try {
    for (let i = 0; i < data.length && total <= limit; i += INFLATE_CHUNK) {
      const end = Math.min(i + INFLATE_CHUNK, data.length);
      inf.push(data.subarray(i, end), end === data.length);
    }
  } catch {
    return null;
  }
  if (total > limit) return "too-large";
  if (!ended) return null;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const FRAGMENT = /^s(\d{1,6})\.([A-Za-z0-9_-]+)(?:\.t(\d{1,10}))?(?:\.e(\d{1,9}))?$/;

/** Decodes a link (or just its fragment, with or without `#`). Never throws. */
export function decodeLink(input: unknown): Result<Decoded, LinkError> {
  if (typeof input !== "string") return fail("syntax", "a link is text");
  const hash = input.indexOf("#");
  const frag = (hash >= 0 ? input.slice(hash + 1) : input).trim();
  if (frag.length > MAX_FRAGMENT)
    return fail("too-large", `the link is longer than ${MAX_FRAGMENT} characters`);
  const m = FRAGMENT.exec(frag);
  if (!m) {
    const v = /^s(\d+)\./.exec(frag);
    if (v && Number(v[1]) !== LINK_VERSION) return versionError(Number(v[1]));
    if (v)
      return fail(
        "syntax",
        `the link is malformed after #s${LINK_VERSION}. (expected base64url data, then optionally .t<ms> and .e<index>)`,
      );
    return fail("syntax", "not a playground scenario link (expected #s1.<data>)");
  }
  const version = Number(m[1]);
  if (version !== LINK_VERSION) return versionError(version);
  const bytes = fromBase64url(m[2]!);
  if (!bytes) return fail("payload", "the link's data is not base64url (was it cut short?)");
  const json = inflateBounded(bytes, MAX_INFLATED);
  if (json === null)
    return fail("payload", "the link's data does not decompress (was it cut short or edited?)");
  if (json === "too-large")
    return fail("too-large", `the scenario in the link is larger than ${MAX_INFLATED} bytes`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(json);
  } catch {
    return fail("payload", "the link's data is not UTF-8 text");
  }
  const s = loadScenario(text);
  if (!s.ok) return fail("scenario", "the link's scenario is not valid", s.error.problems);
  const moment: Moment = {};
  if (m[3] !== undefined) moment.atMs = Number(m[3]);
  if (m[4] !== undefined) moment.event = Number(m[4]);
  return ok({ scenario: s.value, moment });
}

function versionError(v: number) {
  return v > LINK_VERSION
    ? fail("version", `link version ${v} is newer than this playground reads (${LINK_VERSION})`)
    : fail("version", `link version ${v} is not one this playground reads (${LINK_VERSION})`);
}

/** One line for a LinkError: the message, then the validator's problems. */
export function describeLinkError(e: LinkError): string {
  const ps = e.problems.map((p) => `${p.path}: ${p.message}`);
  return [e.message, ...ps].join("; ");
}
