// PatchStack.tsx: klp_patches, newest on top, with the kernel's own actions as buttons. Each button
// is a shell command (shown on it) run through the session, so it prints what the shell would,
// joins the script, and a refusal shows the kernel's error. Which buttons a patch offers follows
// what its sysfs files accept: enabled takes 0 outside a transition, the opposite value during
// one (a reverse); force only during a transition. rmmod is always offered: refused while the
// patch is enabled, it shows why a patch module stays.
import type { PatchView } from "../../../engine/scenario/view.ts";
import { useWb, useWorkbench } from "../context.ts";

const dir = (name: string) => `/sys/kernel/livepatch/${name}`;

function Action(props: { label: string; cmd: string; disabled?: boolean }) {
  const wb = useWorkbench();
  return (
    <button
      type="button"
      className="action"
      disabled={props.disabled}
      onClick={() => void wb.shell(props.cmd, true)}
    >
      {props.label} <code>{props.cmd}</code>
    </button>
  );
}

function Patch({ p, target }: { p: PatchView; target: number | null }) {
  const inT = p.inTransition;
  const reverse = target === 1 ? "0" : "1";
  return (
    <li className={`patch${inT ? " in-transition" : ""}`} aria-label={`patch ${p.name}`}>
      <div className="patch-head">
        <strong>{p.name}</strong>
        {p.replace && <span className="badge">replace</span>}
        <span className={`badge ${p.enabled ? "on" : ""}`}>
          {p.enabled ? "enabled" : "disabled"}
        </span>
        {p.forced && <span className="badge warn">forced</span>}
        {inT && <span className="badge warn">{target === 1 ? "patching" : "unpatching"}</span>}
      </div>
      <ul className="objs">
        {p.objects.map((o) => (
          <li key={o.name}>
            {o.name}: {o.funcs.length ? o.funcs.join(", ") : "no functions"}
            {!o.patched && <span className="muted"> (not patched)</span>}
          </li>
        ))}
        {p.states.map((s) => (
          <li key={s.id}>
            state {s.id} v{s.version}
            {s.blockDisable && <span className="badge warn">block_disable</span>}
          </li>
        ))}
      </ul>
      <div className="actions">
        {inT ? (
          <>
            <Action label="Reverse" cmd={`echo ${reverse} > ${dir(p.name)}/enabled`} />
            <Action label="Force" cmd={`echo 1 > ${dir(p.name)}/force`} />
          </>
        ) : (
          p.enabled && <Action label="Disable" cmd={`echo 0 > ${dir(p.name)}/enabled`} />
        )}
        {/* Offered always: while the patch is enabled the kernel refuses, and says so. */}
        <Action label="Unload" cmd={`rmmod ${p.name}`} />
      </div>
    </li>
  );
}

export function PatchStack() {
  const view = useWb((s) => s.view);
  const scenario = useWb((s) => s.scenario);
  const refused = useWb((s) => s.refused);
  if (!view || !scenario) return null;
  const loaded = new Set(view.modules.map((m) => m.name));
  const patchNames = new Set(view.patches.map((p) => p.name));
  const unloaded = scenario.modules.filter((m) => !loaded.has(m.name));
  const others = view.modules.filter((m) => !patchNames.has(m.name));
  return (
    <section className="panel" aria-labelledby="stack-h">
      <h2 id="stack-h">Livepatch stack</h2>
      {view.transition ? (
        <p role="status">
          Transition: <strong>{view.transition.patch}</strong>{" "}
          {view.transition.target === 1 ? "patching" : "unpatching"}
        </p>
      ) : (
        <p className="muted">No transition in progress.</p>
      )}
      {refused && (
        <div className="banner error" role="alert" aria-label="Refused action">
          <strong>{refused.title}</strong>
          {refused.lines.map((l, i) => (
            <pre key={i}>{l}</pre>
          ))}
        </div>
      )}
      {view.patches.length ? (
        <ol className="stack" aria-label="Patches, newest first" reversed>
          {[...view.patches].reverse().map((p) => (
            <Patch key={p.name} p={p} target={view.transition?.target ?? null} />
          ))}
        </ol>
      ) : (
        <p className="muted">No livepatch is loaded.</p>
      )}
      <h3>Modules</h3>
      <ul className="mods">
        {others.map((m) => (
          <li key={m.name}>
            <code>{m.name}</code>{" "}
            <span className="muted">
              {m.state}, refcnt {m.refcnt}
            </span>{" "}
            <Action label="Unload" cmd={`rmmod ${m.name}`} />
          </li>
        ))}
        {unloaded.map((m) => (
          <li key={m.name}>
            <code>{m.name}</code> <span className="muted">not loaded</span>{" "}
            <Action label="Load" cmd={`insmod ${m.name}.ko`} />
          </li>
        ))}
      </ul>
    </section>
  );
}
