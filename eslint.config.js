// One linter for every TypeScript and JavaScript file outside the AssemblyScript sources
// (asc checks those; their decorators and integer types are not TypeScript).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "core-wasm/build/",
      "core-wasm/assembly/",
      "test-results/",
      "playwright-report/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        performance: "readonly",
        document: "readonly",
        window: "readonly",
        self: "readonly",
        fetch: "readonly",
        URL: "readonly",
        WebAssembly: "readonly",
      },
    },
    rules: {
      eqeqeq: ["error", "always"],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // The core's bindings and reference model run in browsers and Workers too: no Node APIs.
    files: [
      "core-wasm/bindings/**",
      "core-wasm/reference/**",
      "engine/**",
      "scenarios/**",
      "web/**",
    ],
    ignores: ["**/*.test.ts"], // tests run in Node
    rules: {
      "no-restricted-imports": ["error", { patterns: ["node:*"] }],
    },
  },
  {
    // The engine speaks only through the kernel log and its events.
    files: ["engine/**"],
    ignores: ["engine/**/*.test.ts"],
    rules: { "no-console": "error" },
  },
);
