// schedule.ts: runs a callback in a task of its own, soon after the current one (a MessageChannel
// message: no timer clamping, and it runs in a hidden tab too). The store applies the engine's
// answers this way instead of in an animation frame: applied in the frame, their React render
// and the frame's style, layout and paint were one task, the page's longest (bench/browser/
// longtask.ts); apart, each is about half of it. Answers that arrive before the task runs are
// applied in it together.
export function taskScheduler(): (fn: () => void) => void {
  const channel = new MessageChannel();
  let due: (() => void)[] = [];
  channel.port1.onmessage = () => {
    const fns = due;
    due = [];
    for (const fn of fns) fn();
  };
  return (fn) => {
    due.push(fn);
    if (due.length === 1) channel.port2.postMessage(null);
  };
}
