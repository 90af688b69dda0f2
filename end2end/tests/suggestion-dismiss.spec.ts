import { test, expect } from "@playwright/test";
import { candidate, openDialog, shots } from "./helpers";
import { signIn } from "./auth";

test.beforeEach(async ({ page }) => {
  await signIn(page, "admin");
});

test("a dismissed suggestion stays gone after a reload", async ({ page }) => {
  let dialog = await openDialog(page, "SEARCH", "jira");
  const srch = candidate(dialog.getByTestId("suggested-links"), "SRCH - Search");
  await expect(srch).toBeVisible();
  await srch.getByRole("button", { name: /Dismiss suggestion/ }).click();
  // It says so where it was, and can no longer be ticked.
  await expect(srch.getByTestId("dismissed")).toHaveText("Dismissed SRCH - Search — it returns only with new evidence.");
  await expect(srch.getByRole("checkbox")).toBeHidden();
  await page.reload();
  dialog = page.getByRole("dialog");
  await expect(dialog.getByText("Looking for suggestions upstream…")).toHaveCount(0, { timeout: 20_000 });
  await expect(candidate(dialog.getByTestId("suggested-links"), "SRCH - Search")).toHaveCount(0);
  await page.screenshot({ path: `${shots}/suggestion-dismissed.png` });
});
