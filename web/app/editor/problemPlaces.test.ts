import { describe, expect, it } from "vitest";
import { jsonSpan, parsePath, sourcePlace } from "./problemPlaces.ts";

describe("problem places", () => {
  it("reads validate.ts's paths back", () => {
    expect(parsePath("script[2].at_ms")).toEqual(["script", 2, "at_ms"]);
    expect(parsePath("machine.tasks[0].does")).toEqual(["machine", "tasks", 0, "does"]);
    expect(parsePath("seed")).toEqual(["seed"]);
    expect(parsePath("scenario")).toEqual([]);
  });

  it("finds a value's property, or the nearest enclosing value that is written", () => {
    const text = '[\n  { "run": "a" },\n  { "at_ms": 5,\n    "run": "b" }\n]';
    const at = jsonSpan(text, [1, "at_ms"])!;
    expect(text.slice(at.offset, at.offset + at.length)).toBe('"at_ms": 5');
    const missing = jsonSpan(text, [0, "note"])!;
    expect(text.slice(missing.offset, missing.offset + missing.length)).toBe('{ "run": "a" }');
    const whole = jsonSpan(text, [7])!;
    expect(whole.offset).toBe(0);
    expect(jsonSpan("", [0])).toBeNull();
  });

  it("takes the line and column of a sucrase syntax error", () => {
    expect(sourcePlace('m.ts: Unexpected token, expected ";" (12:4)')).toEqual({
      line: 12,
      column: 5,
    });
    expect(sourcePlace("init: exception: boom")).toBeNull();
  });
});
