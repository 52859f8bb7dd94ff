// strerror.ts: the messages user space prints for errno values, in glibc's wording (what bash,
// coreutils and kmod print after "write error:", "cannot access", ...).
const MESSAGES: Readonly<Record<number, string>> = {
  1: "Operation not permitted",
  2: "No such file or directory",
  3: "No such process",
  4: "Interrupted system call",
  5: "Input/output error",
  6: "No such device or address",
  7: "Argument list too long",
  8: "Exec format error",
  9: "Bad file descriptor",
  10: "No child processes",
  11: "Resource temporarily unavailable",
  12: "Cannot allocate memory",
  13: "Permission denied",
  14: "Bad address",
  16: "Device or resource busy",
  17: "File exists",
  19: "No such device",
  20: "Not a directory",
  21: "Is a directory",
  22: "Invalid argument",
  24: "Too many open files",
  27: "File too large",
  28: "No space left on device",
  30: "Read-only file system",
  34: "Numerical result out of range",
  38: "Function not implemented",
  61: "No data available",
  95: "Operation not supported",
  110: "Connection timed out",
};

/** glibc's strerror() text for `errno` (sign ignored); "Unknown error N" for codes it lacks. */
export function strerror(errno: number): string {
  const n = Math.abs(errno);
  return MESSAGES[n] ?? `Unknown error ${n}`;
}
