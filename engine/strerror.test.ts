import { describe, expect, it } from "vitest";
import { strerror } from "./strerror.ts";

describe("strerror", () => {
  it("gives glibc's texts for the errnos the playground returns, either sign", () => {
    const table: [number, string][] = [
      [1, "Operation not permitted"],
      [2, "No such file or directory"],
      [3, "No such process"],
      [11, "Resource temporarily unavailable"],
      [12, "Cannot allocate memory"],
      [13, "Permission denied"],
      [16, "Device or resource busy"],
      [17, "File exists"],
      [19, "No such device"],
      [20, "Not a directory"],
      [21, "Is a directory"],
      [22, "Invalid argument"],
    ];
    for (const [n, text] of table) {
      expect(strerror(-n)).toBe(text);
      expect(strerror(n)).toBe(text);
    }
    expect(strerror(-4095)).toBe("Unknown error 4095");
  });
});
