// vfs.ts: procfs and sysfs as a tree of kernfs-like nodes. Directories and attribute files are
// created and removed by their owners (kobjects: modules, livepatch patches, tasks), as kernfs
// does. An attribute without a show method cannot be opened for reading, one without a store
// method cannot be opened for writing: both fail with -EACCES even for root.
import { EACCES, EEXIST, EISDIR, ENOENT, ENOTDIR } from "../../core-wasm/bindings/index.ts";
import type { PathInfo } from "../shell/host.ts";
import type { Machine } from "./machine.ts";
import type { Task } from "./task.ts";
import { readSeq } from "./vmlinux.ts";

/** A sysfs/procfs attribute: show returns text or -errno; store returns bytes consumed or -errno. */
export interface Attr {
  mode: number;
  show?: () => string | number;
  store?: (data: string) => number;
}

type Node = { kind: "dir"; mode: number; children: Map<string, Node> } | ({ kind: "file" } & Attr);

function split(path: string): string[] {
  return path.split("/").filter((p) => p !== "" && p !== ".");
}

export class Vfs {
  private readonly root: Node = { kind: "dir", mode: 0o755, children: new Map() };

  constructor(private readonly m: Machine) {
    for (const d of ["/sys/kernel/livepatch", "/sys/module", "/proc"]) this.mkdir(d);
    this.addSeqFile("/proc/cmdline", 0o444, "cmdline_proc_show");
    this.addSeqFile("/proc/version", 0o444, "version_proc_show");
    this.addSeqFile("/proc/meminfo", 0o444, "meminfo_proc_show");
  }

  /**
   * proc_create_single(): a procfs file whose reads run seq_read_iter, which calls `show` (a
   * vmlinux function by name, or a function by id) through its entry site. @returns 0 or -errno.
   */
  addSeqFile(path: string, mode: number, show: string | number): number {
    return this.addFile(path, { mode, show: () => readSeq(this.m, this.reader(), show) });
  }

  /** The task reading a file: the current task, or the shell. */
  private reader(): Task {
    return this.m.current ?? this.m.shell;
  }

  private walk(path: string): Node | undefined {
    let n: Node | undefined = this.root;
    for (const p of split(path)) {
      if (!n || n.kind !== "dir") return undefined;
      n = n.children.get(p);
    }
    return n;
  }

  /** mkdir -p of kernfs directories (mode 0755). */
  mkdir(path: string, mode = 0o755): void {
    let n = this.root;
    for (const p of split(path)) {
      if (n.kind !== "dir") return;
      let c = n.children.get(p);
      if (!c) {
        c = { kind: "dir", mode, children: new Map() };
        n.children.set(p, c);
      }
      n = c;
    }
  }

  /** Creates an attribute file; its directory must exist. @returns 0, -ENOENT, -EEXIST. */
  addFile(path: string, attr: Attr): number {
    const parts = split(path);
    const name = parts.pop();
    const dir = this.walk(parts.join("/"));
    if (!name || !dir || dir.kind !== "dir") return -ENOENT;
    if (dir.children.has(name)) return -EEXIST;
    dir.children.set(name, { kind: "file", ...attr });
    return 0;
  }

  /** Removes a file or a whole directory tree (kobject_del). */
  remove(path: string): void {
    const parts = split(path);
    const name = parts.pop();
    const dir = this.walk(parts.join("/"));
    if (name && dir?.kind === "dir") dir.children.delete(name);
  }

  exists(path: string): boolean {
    return this.walk(path) !== undefined;
  }

  /** /proc/<pid>/ with patch_state (0400, "%d\n" of task->patch_state). */
  addProcPid(t: Task): void {
    this.mkdir(`/proc/${t.pid}`, 0o555);
    this.addFile(`/proc/${t.pid}/patch_state`, {
      mode: 0o400,
      show: () => `${this.m.core.tasks.patchState(t.coreId)}\n`,
    });
    this.addFile(`/proc/${t.pid}/comm`, { mode: 0o644, show: () => `${t.comm}\n` });
  }

  removeProcPid(t: Task): void {
    this.remove(`/proc/${t.pid}`);
  }

  /** open(O_RDONLY) + read. @returns the text or -errno. */
  readFile(path: string): string | number {
    const n = this.walk(path);
    if (!n) return -ENOENT;
    if (n.kind === "dir") return -EISDIR;
    if (!n.show) return -EACCES;
    return n.show();
  }

  /** open(O_WRONLY) + one write. @returns 0 or -errno. */
  writeFile(path: string, data: string): number {
    const n = this.walk(path);
    if (!n) {
      // sysfs and procfs cannot create files.
      return this.walk(split(path).slice(0, -1).join("/")) ? -EACCES : -ENOENT;
    }
    if (n.kind === "dir") return -EISDIR;
    if (!n.store) return -EACCES;
    const r = n.store(data);
    this.m.settle();
    return r < 0 ? r : 0;
  }

  /** @returns the sorted names or -errno. */
  listDir(path: string): string[] | number {
    const n = this.walk(path);
    if (!n) return -ENOENT;
    if (n.kind !== "dir") return -ENOTDIR;
    return [...n.children.keys()].sort();
  }

  stat(path: string): PathInfo | number {
    const n = this.walk(path);
    if (!n) return -ENOENT;
    return { kind: n.kind, mode: n.mode, owner: "root", group: "root" };
  }
}
