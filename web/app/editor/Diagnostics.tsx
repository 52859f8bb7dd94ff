// Diagnostics.tsx: the problems under an editor, in words: the language service's markers as one
// types, then the engine validator's refusals of the last Apply (both editors list them alike).
export function Diagnostics(p: { label: string; problems: string[]; refused: string[] }) {
  return (
    <ul aria-label={p.label} className="diagnostics">
      {p.problems.map((t, i) => (
        <li key={i}>{t}</li>
      ))}
      {p.refused.map((t, i) => (
        <li key={`r${i}`}>the validator: {t}</li>
      ))}
    </ul>
  );
}
