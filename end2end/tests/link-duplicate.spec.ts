import { test, expect } from "@playwright/test";
import { candidate, openDialog, shots } from "./helpers";
import { signIn } from "./auth";

test.beforeEach(async ({ page }) => {
  await signIn(page, "admin");
});

test("a duplicate warning must be confirmed before the link is made", async ({ page }) => {
  const dialog = await openDialog(page, "MOBILE", "jira");
  const copy = candidate(dialog, "MOBAPP - Mobile Application");
  const box = copy.getByRole("checkbox").first();
  if (!(await box.isChecked())) await box.check();
  const warning = copy.getByTestId("duplicate-warning");
  await expect(warning).toContainText("Possible duplicate");
  await dialog.getByRole("button", { name: "Confirm Links" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Confirm the warning first");
  await page.screenshot({ path: `${shots}/link-duplicate-warning.png` });
  await warning.getByRole("checkbox", { name: "Link anyway" }).check();
  // Only the duplicate is confirmed: untick anything else pre-checked.
  for (const other of await dialog.getByTestId("candidate").filter({ hasNotText: "MOBAPP" }).getByRole("checkbox").all()) {
    if ((await other.isChecked()) && (await other.isEnabled())) await other.uncheck();
  }
  await dialog.getByRole("button", { name: "Confirm Links" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByTestId("jira-links")).toContainText("MOBAPP");
  await page.screenshot({ path: `${shots}/link-duplicate-project.png`, fullPage: true });
});
