import { test, expect } from "@playwright/test";
import { candidate, openDialog, search, shots } from "./helpers";
import { signIn } from "./auth";

test.beforeEach(async ({ page }) => {
  await signIn(page, "admin");
});

test("linking a Jira project another project holds shows who holds it and cannot be confirmed", async ({ page }) => {
  const dialog = await openDialog(page, "GROWTH", "jira");
  await search(dialog, "MOBILE");
  const mobile = candidate(dialog.getByTestId("search-results"), "MOBILE - Mobile Application");
  // click, not check: the box unticks itself as soon as the conflict is known.
  await mobile.getByRole("checkbox").click();
  await expect(mobile.getByTestId("conflict")).toContainText("Already linked to MOBILE");
  await expect(mobile.getByRole("checkbox")).toBeDisabled();
  await expect(mobile.getByRole("checkbox")).not.toBeChecked();
  await page.screenshot({ path: `${shots}/link-conflict.png` });
  // Nothing else ticked: confirming says so instead of linking anything.
  await dialog.getByRole("button", { name: "Confirm Links" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Tick at least one");
  await dialog.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByTestId("jira-links")).not.toContainText("MOBILE");
});
