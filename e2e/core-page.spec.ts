import { expect, test } from "@playwright/test";

test("the foundation page loads the core and shows it answering", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto("/");
  await expect(page.getByRole("status")).toHaveText("The core is answering.");
  const answers = page.getByRole("list", { name: "Core answers" });
  await expect(answers).toContainText(/core\.wasm compiled and instantiated in [\d.]+ ms/);
  await expect(answers).toContainText("kallsyms: function #0 at ffffffff81001000");
  await expect(answers).toContainText("snapshot/restore: 2 functions -> 1 after restore");
  expect(errors).toEqual([]);
});
