// FilesPane.tsx: a live look at /sys/kernel/livepatch, /sys/module and /proc/<pid>/: the directory's
// entries and the chosen file's content, read again whenever the machine's time moves. Only
// files whose show methods just read the model are read here (the engine refuses others: reading
// /proc/cmdline runs kernel code, so the shell reads it and the line joins the script).
import { useEffect, useState } from "react";
import { strerror } from "../../../engine/strerror.ts";
import { useWb, useWorkbench } from "../context.ts";

const ROOTS = ["/sys/kernel/livepatch", "/sys/module", "/proc"];

export function FilesPane() {
  const wb = useWorkbench();
  const nowNs = useWb((s) => s.nowNs);
  const events = useWb((s) => s.eventCount);
  const ready = useWb((s) => s.scenario !== null);
  const [dir, setDir] = useState(ROOTS[0]!);
  const [file, setFile] = useState<string | null>(null);
  const [entries, setEntries] = useState<string[] | string>([]);
  const [text, setText] = useState<string>("");

  useEffect(() => {
    if (!ready) return;
    let live = true;
    void wb.list(dir).then((r) => {
      if (!live || r === null) return;
      setEntries(typeof r === "number" ? `ls: ${dir}: ${strerror(r)}` : r);
    });
    if (file)
      void wb.read(file).then((r) => {
        if (!live || r === null) return;
        if (typeof r === "string") setText(r);
        else if (typeof r === "number") setText(`cat: ${file}: ${strerror(r)}`);
        else setText(r.error);
      });
    return () => {
      live = false;
    };
  }, [wb, dir, file, nowNs, events, ready]);

  function open(name: string) {
    const path = `${dir}/${name}`;
    // A directory lists; a file reads (the engine says which by answering ls with ENOTDIR).
    void wb.list(path).then((r) => {
      if (Array.isArray(r)) {
        setDir(path);
        setFile(null);
      } else setFile(path);
    });
  }

  const up = dir.split("/").slice(0, -1).join("/");
  return (
    <section className="panel files" aria-labelledby="files-h">
      <div className="panel-head">
        <h2 id="files-h">Files</h2>
        <label>
          Tree{" "}
          <select
            value={ROOTS.find((r) => dir.startsWith(r)) ?? ROOTS[0]}
            onChange={(e) => {
              setDir(e.target.value);
              setFile(null);
            }}
          >
            {ROOTS.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
      </div>
      <p className="path">
        <code>{dir}/</code>{" "}
        {!ROOTS.includes(dir) && (
          <button type="button" onClick={() => (setDir(up), setFile(null))}>
            Up
          </button>
        )}
      </p>
      {typeof entries === "string" ? (
        <p className="muted">{entries}</p>
      ) : (
        <ul className="entries scroll" aria-label={`Entries of ${dir}`}>
          {entries.map((e) => (
            <li key={e}>
              <button
                type="button"
                className="link"
                aria-pressed={file === `${dir}/${e}`}
                onClick={() => open(e)}
              >
                {e}
              </button>
            </li>
          ))}
        </ul>
      )}
      {file && (
        <figure>
          <figcaption>
            <code>cat {file}</code>
          </figcaption>
          <pre aria-label={`Content of ${file}`}>{text}</pre>
        </figure>
      )}
    </section>
  );
}
