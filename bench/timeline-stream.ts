// timeline-stream.ts (bench): an engine-generated event stream of a given length for the timeline
// benchmarks: 2,000 user tasks running on other CPUs keep each transition of test_klp_livepatch
// open (every attempt reports each of them blocked, "running"), then return to user space and
// switch there; the patch is enabled, disabled and removed again and again, with shadow
// variables allocated and half of them freed along the way. The stream is cut at `events`.
import type { EngineEvent } from "../engine/events.ts";
import { bootPlayground } from "../modules/playground.ts";

const TASKS = 2_000;
const HOLD_NS = 2e9;

export async function timelineStream(
  coreBytes: Uint8Array,
  events: number,
): Promise<EngineEvent[]> {
  const { m, sh } = await bootPlayground({ core: coreBytes });
  const tasks = Array.from({ length: TASKS }, (_, i) => m.tasks.fork(m.shell, `worker${i}`));
  const sys = "/sys/kernel/livepatch/test_klp_livepatch";
  let obj = 0x1000;
  const hold = () => {
    for (const t of tasks) m.core.tasks.setRunning(t.coreId, true);
  };
  const release = () => {
    m.runUntil(m.clock.nowNs() + HOLD_NS);
    for (let i = 0; i < 200; i++) m.klp.shadow.alloc((obj += 0x40), 1, 8);
    for (let i = 0; i < 100; i++) m.klp.shadow.free(obj - i * 0x40, 1);
    for (const t of tasks) {
      m.core.tasks.setRunning(t.coreId, false);
      m.tasks.returnToUser(t);
    }
    m.runUntil(m.clock.nowNs() + 2e9);
  };
  while (m.events.length < events) {
    hold();
    const on = sh.run("load_lp_nowait test_klp_livepatch");
    if (on.status !== 0) throw new Error(`timeline stream: ${on.stderr}`);
    release();
    hold();
    sh.run(`echo 0 > ${sys}/enabled`);
    release();
    const off = sh.run("rmmod test_klp_livepatch");
    if (off.status !== 0) throw new Error(`timeline stream: ${off.stderr}`);
  }
  return m.events.since(0).slice(0, events);
}
