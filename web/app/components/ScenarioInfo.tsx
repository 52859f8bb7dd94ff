// ScenarioInfo.tsx: what the scenario teaches and the kernel files it dramatises (links to them).
import { useWb } from "../context.ts";

export function ScenarioInfo() {
  const s = useWb((st) => st.scenario);
  if (!s) return <div className="panel" aria-busy="true" />;
  return (
    <article className="panel" aria-labelledby="scenario-title">
      <h2 id="scenario-title">{s.title}</h2>
      <p>{s.teaches}</p>
      <h3>Dramatises</h3>
      <ul className="refs">
        {s.dramatises.map((r) => (
          <li key={r.path}>
            <a
              href={`https://github.com/${r.repo}/blob/${r.commit ?? "master"}/${r.path}`}
              target="_blank"
              rel="noreferrer"
            >
              <code>{r.path}</code>
            </a>
          </li>
        ))}
      </ul>
      <p className="muted">
        {s.semantics} · {s.arch} · seed {s.seed}
      </p>
    </article>
  );
}
