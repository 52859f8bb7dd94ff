// substr.ts: bash's substring expansion, ${v:offset[:length]} (subexpr.c's verify_substring_values):
// on a string's characters or on the positional parameters with $0 first, so `${@:0}` includes it.
import { err, ok, type Result } from "../result.ts";

/** The offset and length, already evaluated; `lengthText` is the length as written, for the error. */
export interface SubstrBounds {
  offset: bigint;
  length?: bigint | undefined;
  lengthText?: string | undefined;
}

/**
 * The items from `offset` for `length`: a negative offset counts from the end (out of range: none);
 * a negative length ends that far before the end of a string, but is an error on a list.
 * @returns the slice, or bash's message after "bash: ".
 */
export function substring<T>(
  items: readonly T[],
  b: SubstrBounds,
  list: boolean,
): Result<T[], string> {
  const n = BigInt(items.length);
  const start = b.offset < 0n ? b.offset + n : b.offset;
  // Past either end: nothing at all, without an error (bash returns the null string).
  if (start < 0n || start > n) return ok([]);
  let end = n;
  if (b.length !== undefined) {
    end = b.length < 0n ? n + b.length : start + b.length;
    if (b.length < 0n && (list || end < start)) {
      return err(`${(b.lengthText ?? "").trim()}: substring expression < 0`);
    }
    if (end > n) end = n;
  }
  return ok(items.slice(Number(start), Number(end)));
}
