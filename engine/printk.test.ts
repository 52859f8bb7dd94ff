import { describe, expect, it } from "vitest";
import { GFP_KERNEL, __GFP_ZERO } from "./gfp.ts";
import { vsprintf } from "./printk.ts";
import { pointerHasher } from "./random.ts";

const hash = pointerHasher(0x1234);
const f = (fmt: string, ...args: (number | bigint | string | null)[]) => vsprintf(fmt, args, hash);

describe("vsprintf", () => {
  it("formats the transition messages' conversions", () => {
    expect(f("%s: %s:%d is sleeping on function %s\n", "klp_try_switch_task", "cat", 93, "f")).toBe(
      "klp_try_switch_task: cat:93 is sleeping on function f\n",
    );
    expect(f("'%s': %s complete", "p", "patching")).toBe("'p': patching complete");
    expect(f("failed to register ftrace handler for function '%s' (%d)", "f", -16)).toBe(
      "failed to register ftrace handler for function 'f' (-16)",
    );
  });

  it("formats integers by C type: %lu %lx %zx %u %x with widths and flags", () => {
    expect(f("%lx", 0x1234)).toBe("1234");
    expect(f("%zx", 8)).toBe("8");
    expect(f("%lu", 18446744073709551615n)).toBe("18446744073709551615");
    expect(f("%u", -1)).toBe("4294967295");
    expect(f("%d", 4294967295)).toBe("-1");
    expect(f("%5d|%-5d|%05d", 42, 42, -42)).toBe("   42|42   |-0042");
    expect(f("%#x %#o %X", 255, 8, 0xbeef)).toBe("0xff 010 BEEF");
    expect(f("%hhu", 257)).toBe("1");
    expect(f("%.3d", 7)).toBe("007");
    expect(f("100%%")).toBe("100%");
  });

  it("prints (null) for a NULL %s and honours precision", () => {
    expect(f("%s", null)).toBe("(null)");
    expect(f("%.3s|%6s", "abcdef", "ab")).toBe("abc|    ab");
  });

  it("hashes %p to 32 bits shown in 16 digits, prints %px raw and NULL as zeros", () => {
    const p = 0xffff888003a1b2c0n;
    const hashed = f("%p", p);
    expect(hashed).toMatch(/^00000000[0-9a-f]{8}$/);
    expect(hashed).not.toBe("00000000" + "03a1b2c0");
    expect(f("%p", p)).toBe(hashed); // stable within a machine
    expect(vsprintf("%p", [p], pointerHasher(99))).not.toBe(hashed); // keyed per seed
    expect(f("%px", p)).toBe("ffff888003a1b2c0");
    expect(f("%p", 0n)).toBe("0000000000000000");
    expect(f("<%p, %lx>", p, 0x1234)).toBe(`<${hashed}, 1234>`);
  });

  it("prints error pointers by name with %pe and gfp flags with %pGg", () => {
    expect(f("%pe", -22)).toBe("-EINVAL");
    expect(f("%pe", -4000)).toBe("-4000");
    expect(f("%pGg", GFP_KERNEL)).toBe("GFP_KERNEL");
    expect(f("%pGg", GFP_KERNEL | __GFP_ZERO)).toBe("GFP_KERNEL|__GFP_ZERO");
    expect(f("gfp_flags=%pGg)", GFP_KERNEL)).toBe("gfp_flags=GFP_KERNEL)");
  });
});
