// Controls.tsx: play, pause, step (to the next engine event), step back, step over a script line, the speed, the virtual clock, and
// the model switches (they reopen the same scenario under the other semantics or architecture).
// When the engine has not answered for over a second it says so and offers Stop (busy.ts).
import { useState } from "react";
import { useWb, useWorkbench } from "../context.ts";
import { clock } from "../format.ts";
import { SHORTCUTS } from "../keys.ts";
import { SPEEDS } from "../store.ts";

export function Controls() {
  const wb = useWorkbench();
  const playing = useWb((s) => s.playing);
  const speed = useWb((s) => s.speed);
  const nowNs = useWb((s) => s.nowNs);
  const done = useWb((s) => s.done);
  const eventCount = useWb((s) => s.eventCount);
  const checkpointsOff = useWb((s) => s.checkpointsOff);
  const sc = useWb((s) => s.scenario);
  const ready = useWb((s) => s.engine === "ready" && s.scenario !== null);
  // Only a Worker can be stopped (in the page, a long request blocks the page anyway).
  const busy = useWb((s) => (s.engineMode === "worker" ? s.busy : null));
  return (
    <div className="controls" role="toolbar" aria-label="Run controls">
      {playing ? (
        <button type="button" onClick={wb.pause} aria-keyshortcuts="Space">
          Pause
        </button>
      ) : (
        <button type="button" onClick={wb.play} disabled={!ready} aria-keyshortcuts="Space">
          {done ? "Play on" : "Play"}
        </button>
      )}
      <button
        type="button"
        onClick={() => void wb.step()}
        disabled={!ready}
        aria-keyshortcuts="."
        title="Run until the engine emits its next event"
      >
        Step
      </button>
      <button
        type="button"
        onClick={() => void wb.stepBack()}
        disabled={!ready || eventCount === 0}
        aria-keyshortcuts=","
        aria-describedby={checkpointsOff ? "stepback-from-boot" : undefined}
        title="Undo the latest event: the engine restores its nearest checkpoint before it and replays from there"
      >
        Step back
      </button>
      {checkpointsOff && (
        <span id="stepback-from-boot" role="note" className="muted">
          Step back replays from boot: {checkpointsOff}.
        </span>
      )}
      <button
        type="button"
        onClick={() => void wb.stepOver()}
        disabled={!ready}
        aria-keyshortcuts="n"
        title="Run to the end of the next script line"
      >
        Step over
      </button>
      <label>
        Speed{" "}
        <select value={speed} onChange={(e) => wb.setSpeed(Number(e.target.value))}>
          {SPEEDS.map((v) => (
            <option key={v} value={v}>
              {v}×
            </option>
          ))}
        </select>
      </label>
      <output aria-label="Virtual time" className="clock">
        {clock(nowNs)}
      </output>
      <GoTo disabled={!ready} />
      <span className="muted">{done ? "script done" : playing ? "running" : "paused"}</span>
      {busy && (
        <span role="status" aria-label="Engine busy" className="busy">
          The engine is busy {busy.what} and has not answered for over a second.{" "}
          <button
            type="button"
            onClick={() => void wb.stopEngine()}
            aria-keyshortcuts="Escape"
            title="Terminate the engine, start a fresh one and reopen the scenario as it stands"
          >
            Stop
          </button>
        </span>
      )}
      <span className="spacer" />
      <span className="muted keys" aria-label="Keyboard shortcuts">
        {SHORTCUTS.map((s) => (
          <span key={s.key}>
            <kbd>{s.key}</kbd> {s.does}
          </span>
        ))}
      </span>
      <label>
        Semantics{" "}
        <select
          value={sc?.semantics ?? "mainline"}
          disabled={!ready}
          onChange={(e) =>
            void wb.reopenWith({ semantics: e.target.value as "mainline" | "proposed" })
          }
        >
          <option value="mainline">mainline</option>
          <option value="proposed">proposed</option>
        </select>
      </label>
      <label>
        Arch{" "}
        <select
          value={sc?.arch ?? "x86_64"}
          disabled={!ready}
          onChange={(e) => void wb.reopenWith({ arch: e.target.value as "x86_64" | "arm64" })}
        >
          <option value="x86_64">x86_64</option>
          <option value="arm64">arm64</option>
        </select>
      </label>
    </div>
  );
}

/**
 * A jump to any moment of the run, back or forward (the engine's seek by time: everything due up
 * to that virtual time has run). Seconds, as the clock shows them.
 */
function GoTo(p: { disabled: boolean }) {
  const wb = useWorkbench();
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className="goto"
      onSubmit={(e) => {
        e.preventDefault();
        const s = Number(text.trim());
        if (text.trim() === "" || !Number.isFinite(s) || s < 0) {
          setProblem("a time in seconds, 0 or more");
          return;
        }
        setProblem(null);
        void wb.seek({ toNs: Math.round(s * 1e9) });
      }}
    >
      <label>
        Go to{" "}
        <input
          id="goto-in"
          inputMode="decimal"
          size={7}
          value={text}
          placeholder="seconds"
          aria-invalid={problem !== null}
          aria-describedby={problem ? "goto-problem" : undefined}
          aria-keyshortcuts="g"
          onChange={(e) => setText(e.target.value)}
        />{" "}
        s
      </label>{" "}
      <button type="submit" disabled={p.disabled}>
        Go
      </button>
      {problem && (
        <span id="goto-problem" role="alert" className="problem">
          {problem}
        </span>
      )}
    </form>
  );
}
