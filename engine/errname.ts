// errname.ts: symbolic errno names as lib/errname.c gives them to %pe ("-EINVAL"); unknown codes
// print as the number, as the kernel does.
const NAMES: Readonly<Record<number, string>> = {
  1: "EPERM",
  2: "ENOENT",
  3: "ESRCH",
  4: "EINTR",
  5: "EIO",
  6: "ENXIO",
  7: "E2BIG",
  8: "ENOEXEC",
  9: "EBADF",
  11: "EAGAIN",
  12: "ENOMEM",
  13: "EACCES",
  14: "EFAULT",
  16: "EBUSY",
  17: "EEXIST",
  19: "ENODEV",
  22: "EINVAL",
  28: "ENOSPC",
  34: "ERANGE",
  38: "ENOSYS",
  61: "ENODATA",
  95: "EOPNOTSUPP",
  98: "EADDRINUSE",
  110: "ETIMEDOUT",
};

/** "-EINVAL" for -22; the decimal number when the code has no name. */
export function errname(code: number): string {
  const name = NAMES[Math.abs(code)];
  if (!name) return String(code);
  return code < 0 ? `-${name}` : name;
}
