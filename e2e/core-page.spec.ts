import { expect, test } from "@playwright/test";

test("the foundation page (/core.html) loads the core, patches an entry site and runs module code in the sandbox", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto("/core.html");
  await expect(page.getByRole("status")).toHaveText("The core is answering.");
  const answers = page.getByRole("list", { name: "Core answers" });
  await expect(answers).toContainText(/core\.wasm compiled and instantiated in [\d.]+ ms/);
  // The spec's byte sequence for NOP5 -> CALL through the int3 protocol (rel32 to the trampoline).
  await expect(answers).toContainText(
    "x86_64 function #0: build-time site at ffffffff81001000: e8 3b 2c e0 00",
  );
  await expect(answers).toContainText("after ftrace init: 0f 1f 44 00 00");
  await expect(answers).toContainText("step 1, write int3 over the first byte: cc 1f 44 00 00");
  await expect(answers).toContainText("step 3, write bytes 1..4: cc fb ef ff 1e");
  await expect(answers).toContainText("step 5, write the new first byte: e8 fb ef ff 1e");
  await expect(answers).toContainText("a call now goes to ffffffffa0000000 (the ops trampoline)");
  await expect(answers).toContainText(
    "snapshot, make-nop (0f 1f 44 00 00), restore: e8 fb ef ff 1e",
  );
  // Module code runs in QuickJS here as in Node; the endless loop stops on the same tick budget.
  await expect(answers).toContainText("sandbox: hello the browser from QuickJS");
  await expect(answers).toContainText("sandbox: page_check.spin: exceeded its budget of 20 ticks");
  expect(errors).toEqual([]);
});
