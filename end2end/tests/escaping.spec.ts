import { test, expect } from "@playwright/test";
import { candidate, openDialog, search, shots } from "./helpers";
import { signIn } from "./auth";

test.beforeEach(async ({ page }) => {
  await signIn(page, "admin");
});

test("a Jira project named with markup renders as text, in the dialog and on the project page", async ({ page }) => {
  page.on("dialog", () => { throw new Error("a script from upstream data ran"); });
  const dialog = await openDialog(page, "GROWTH", "jira");
  await search(dialog, "Research");
  const hit = candidate(dialog.getByTestId("search-results"), "<script>alert('xss')</script> Research");
  await expect(hit).toHaveCount(1);
  await hit.getByRole("checkbox").check();
  await expect(hit.getByTestId("preview")).toContainText("<script>");
  await page.screenshot({ path: `${shots}/escaping-dialog.png` });
  await dialog.getByRole("button", { name: "Confirm Links" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.reload();
  // Server-rendered: the name is text, not an element.
  await expect(page.getByTestId("jira-links")).toContainText("<script>alert('xss')</script> Research");
  await expect(page.locator("script", { hasText: "alert('xss')" })).toHaveCount(0);
  await page.screenshot({ path: `${shots}/escaping-project.png`, fullPage: true });
});
