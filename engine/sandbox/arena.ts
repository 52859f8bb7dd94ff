// arena.ts: the QuickJS instance a machine's module sandboxes live in. Shared (one per host, the
// default) or isolated (one per machine, for the workbench's sessions). An isolated arena can be
// imaged for a checkpoint: every runtime, context and guest object of the machine's modules is
// in that instance's linear memory, so a copy of the memory is an exact copy of them all, and a
// write back puts them all back. Only the pages that changed since the previous image are copied;
// the others are shared with it. Runtimes are never freed in an isolated arena (a restore could
// bring back one whose JavaScript wrappers were disposed); the arena goes with its machine.
import type { QuickJSWASMModule } from "quickjs-emscripten-core";
import { type Restorer, SNAPSHOT } from "../checkpoint/graph.ts";
import { err, ok, type Result } from "../result.ts";

/** Bytes per imaged page: a wasm page. */
const PAGE = 65536;

/** A sandbox's own state besides its QuickJS heap, as the arena images it. */
export interface ArenaMember {
  /** What puts the member's JavaScript-side state back. */
  image(): () => void;
}

export class SandboxArena {
  /** Every sandbox created in the arena, in order (a restore drops the later ones). */
  private readonly members: ArenaMember[] = [];
  /** Calls into the guest so far: memory changes only during one. */
  private calls = 0;
  /** The latest image's pages and the call count they show (shared by the next image). */
  private last: { pages: Uint8Array[]; calls: number } | null = null;
  /** Pages the latest image copied (the others it shares with the one before), and all. */
  private copied = { pages: 0, of: 0 };

  private constructor(
    readonly qjs: QuickJSWASMModule,
    readonly isolated: boolean,
  ) {}

  /** The host's QuickJS instance, shared with every other machine: cannot be imaged. */
  static shared(qjs: QuickJSWASMModule): SandboxArena {
    return new SandboxArena(qjs, false);
  }

  /** A QuickJS instance of the machine's own. */
  static isolated(qjs: QuickJSWASMModule): SandboxArena {
    return new SandboxArena(qjs, true);
  }

  /** How many pages the latest image copied, of how many. */
  get lastImageCopied(): { pages: number; of: number } {
    return this.copied;
  }

  join(member: ArenaMember): void {
    this.members.push(member);
  }

  /** Notes that guest code is about to run (or a runtime to be made): the heap may change. */
  touch(): void {
    this.calls++;
  }

  /** The instance's linear memory as bytes (the emscripten module's view, fresh after growth). */
  private heap(): Uint8Array | null {
    const mod = (this.qjs as unknown as { module?: { HEAPU8?: unknown } }).module;
    return mod?.HEAPU8 instanceof Uint8Array ? mod.HEAPU8 : null;
  }

  [SNAPSHOT](): Result<Restorer, string> {
    if (!this.isolated) return err("the module sandboxes share the host's QuickJS heap");
    const heap = this.heap();
    if (!heap) return err("the QuickJS build exposes no heap to image");
    const pages = this.pagesOf(heap);
    this.copied = {
      pages: pages.filter((p, i) => p !== this.last?.pages[i]).length,
      of: pages.length,
    };
    this.last = { pages, calls: this.calls };
    const members = this.members.slice();
    const puts = members.map((m) => m.image());
    const calls = this.calls;
    const copied = this.copied.pages;
    const restorer: Restorer = () => {
      this.writeBack(pages);
      this.members.length = 0;
      this.members.push(...members);
      for (const put of puts) put();
      this.calls = calls;
      this.last = { pages, calls };
    };
    restorer.bytes = copied * PAGE;
    return ok(restorer);
  }

  /** The heap's pages, sharing every page equal to the previous image's. */
  private pagesOf(heap: Uint8Array): Uint8Array[] {
    const prev = this.last;
    const n = Math.ceil(heap.length / PAGE);
    if (prev && prev.calls === this.calls && prev.pages.length === n) return prev.pages;
    const pages: Uint8Array[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const old = prev?.pages[i];
      const off = i * PAGE;
      const end = Math.min(off + PAGE, heap.length);
      pages[i] = old && samePage(old, heap, off, end) ? old : heap.slice(off, end);
    }
    return pages;
  }

  private writeBack(pages: Uint8Array[]): void {
    const heap = this.heap()!;
    // Nothing ran in the guest since the latest image: the heap is that image, so only the pages
    // the two images do not share are written.
    const now = this.last && this.last.calls === this.calls ? this.last.pages : null;
    let off = 0;
    for (let i = 0; i < pages.length; i++) {
      const p = pages[i]!;
      if (now?.[i] !== p) heap.set(p, off);
      off += p.length;
    }
    // Memory that grew since is zero again, as fresh memory is.
    if (heap.length > off) heap.fill(0, off);
  }
}

function samePage(page: Uint8Array, heap: Uint8Array, off: number, end: number): boolean {
  if (page.length !== end - off) return false;
  // Word compares: pages and heap offsets are 4-byte aligned.
  const a = new Uint32Array(page.buffer, page.byteOffset, page.length >>> 2);
  const b = new Uint32Array(heap.buffer, heap.byteOffset + off, (end - off) >>> 2);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  for (let i = a.length << 2; i < page.length; i++) if (page[i] !== heap[off + i]) return false;
  return true;
}
