// monaco.ts: Monaco with its TypeScript worker, configured once for module sources: ES2022,
// strict, and the kernel API ("linux") from klp.d.ts as an extra lib; JSON (the script editor) in
// its own worker, with the scenario schema set by scriptSchema.ts.
import * as monaco from "monaco-editor";
import EditorWorker from "monaco-editor/editor/editor.worker.js?worker";
import JsonWorker from "monaco-editor/language/json/json.worker.js?worker";
import TsWorker from "monaco-editor/language/typescript/ts.worker.js?worker";
import klpDts from "../../../engine/sandbox/klp.d.ts?raw";

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: (_id: string, label: string) =>
    label === "typescript" || label === "javascript"
      ? new TsWorker()
      : label === "json"
        ? new JsonWorker()
        : new EditorWorker(),
};

const ts = monaco.typescript;
ts.typescriptDefaults.setCompilerOptions({
  target: ts.ScriptTarget.ES2020,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.NodeJs,
  strict: true,
  noEmit: true,
  // The lib file's own name: Monaco hands these options to TypeScript as they are, without the
  // tsconfig parser that turns "es2022" into it (with "es2022", Record and Number were unknown).
  lib: ["lib.es2022.d.ts"],
});
ts.typescriptDefaults.addExtraLib(klpDts, "file:///types/klp.d.ts");

export { monaco };
