// gfp.ts: gfp_t flag bits (include/linux/gfp_types.h, v6.8+ bit order) and the names %pGg prints
// for them (include/trace/events/mmflags.h: composite names first, then single bits, then any
// remainder in hex).
const bit = (n: number): number => 1 << n;

export const __GFP_DMA = bit(0);
export const __GFP_HIGHMEM = bit(1);
export const __GFP_DMA32 = bit(2);
export const __GFP_MOVABLE = bit(3);
export const __GFP_RECLAIMABLE = bit(4);
export const __GFP_HIGH = bit(5);
export const __GFP_IO = bit(6);
export const __GFP_FS = bit(7);
export const __GFP_ZERO = bit(8);
export const __GFP_DIRECT_RECLAIM = bit(10);
export const __GFP_KSWAPD_RECLAIM = bit(11);
export const __GFP_WRITE = bit(12);
export const __GFP_NOWARN = bit(13);
export const __GFP_RETRY_MAYFAIL = bit(14);
export const __GFP_NOFAIL = bit(15);
export const __GFP_NORETRY = bit(16);
export const __GFP_MEMALLOC = bit(17);
export const __GFP_COMP = bit(18);
export const __GFP_NOMEMALLOC = bit(19);
export const __GFP_HARDWALL = bit(20);
export const __GFP_THISNODE = bit(21);
export const __GFP_ACCOUNT = bit(22);

export const __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;
export const GFP_ATOMIC = __GFP_HIGH | __GFP_KSWAPD_RECLAIM;
export const GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
export const GFP_KERNEL_ACCOUNT = GFP_KERNEL | __GFP_ACCOUNT;
export const GFP_NOWAIT = __GFP_KSWAPD_RECLAIM | __GFP_NOWARN;
export const GFP_NOIO = __GFP_RECLAIM;
export const GFP_NOFS = __GFP_RECLAIM | __GFP_IO;

const NAMES: ReadonlyArray<readonly [number, string]> = [
  [GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT"],
  [GFP_KERNEL, "GFP_KERNEL"],
  [GFP_NOFS, "GFP_NOFS"],
  [GFP_ATOMIC, "GFP_ATOMIC"],
  [GFP_NOIO, "GFP_NOIO"],
  [GFP_NOWAIT, "GFP_NOWAIT"],
  [__GFP_DMA, "GFP_DMA"],
  [__GFP_HIGHMEM, "__GFP_HIGHMEM"],
  [__GFP_DMA32, "GFP_DMA32"],
  [__GFP_HIGH, "__GFP_HIGH"],
  [__GFP_IO, "__GFP_IO"],
  [__GFP_FS, "__GFP_FS"],
  [__GFP_NOWARN, "__GFP_NOWARN"],
  [__GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL"],
  [__GFP_NOFAIL, "__GFP_NOFAIL"],
  [__GFP_NORETRY, "__GFP_NORETRY"],
  [__GFP_COMP, "__GFP_COMP"],
  [__GFP_ZERO, "__GFP_ZERO"],
  [__GFP_NOMEMALLOC, "__GFP_NOMEMALLOC"],
  [__GFP_MEMALLOC, "__GFP_MEMALLOC"],
  [__GFP_HARDWALL, "__GFP_HARDWALL"],
  [__GFP_THISNODE, "__GFP_THISNODE"],
  [__GFP_RECLAIMABLE, "__GFP_RECLAIMABLE"],
  [__GFP_MOVABLE, "__GFP_MOVABLE"],
  [__GFP_ACCOUNT, "__GFP_ACCOUNT"],
  [__GFP_WRITE, "__GFP_WRITE"],
  [__GFP_RECLAIM, "__GFP_RECLAIM"],
  [__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"],
  [__GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM"],
];

/** The text %pGg prints for `flags`, e.g. "GFP_KERNEL|__GFP_ZERO" (format_flags(): empty for 0). */
export function gfpFlagNames(flags: number): string {
  const parts: string[] = [];
  let rest = flags >>> 0;
  for (const [mask, name] of NAMES) {
    if ((rest & mask) === mask && mask !== 0) {
      parts.push(name);
      rest &= ~mask;
    }
  }
  if (rest) parts.push(`0x${rest.toString(16)}`);
  return parts.join("|");
}
