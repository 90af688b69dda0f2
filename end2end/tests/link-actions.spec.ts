import { test, expect } from "@playwright/test";
import { hydrated, shots } from "./helpers";
import { signIn, signInWithoutScript } from "./auth";

test("an admin deactivates and unlinks a repository after confirming, and the audit log shows both", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/projects/BILLING");
  await hydrated(page);
  const repos = page.getByTestId("repository-links");
  const row = repos.locator("tbody tr").filter({ hasText: "billing-web" });
  await expect(row).toContainText("active");
  await row.getByRole("button", { name: /^Deactivate / }).click();
  await expect(row).toContainText("inactive");
  await expect(row.getByRole("button", { name: /^Activate / })).toBeVisible();
  // The page says what happened, and offers to undo it for a few seconds.
  const status = page.getByTestId("link-action-status");
  await expect(status.getByTestId("link-action-said")).toHaveText(/^Deactivated \w+ [\w-]+\/billing-web: it stays linked but is not synced until activated\.$/);
  await status.getByRole("button", { name: "Undo" }).click();
  await expect(status.getByTestId("link-action-said")).toHaveText(/^Activated .*billing-web: the next sync reads it again\.$/);
  await expect(row.getByRole("button", { name: /^Deactivate / })).toBeVisible();
  await expect(status.getByRole("button", { name: "Undo" })).toHaveCount(0, { timeout: 15_000 });
  await row.getByRole("button", { name: /^Deactivate / }).click();
  await expect(row).toContainText("inactive");

  // Unlinking asks first.
  await row.locator("summary", { hasText: "Unlink" }).click();
  await expect(row.getByText("Its synced data is kept")).toBeVisible();
  await page.screenshot({ path: `${shots}/link-actions-confirm.png`, fullPage: true });
  const before = await repos.locator("tbody tr").count();
  await row.getByRole("button", { name: "Yes, unlink" }).click();
  await expect(repos.locator("tbody tr").filter({ hasText: "billing-web" })).toHaveCount(0);
  await expect(repos.locator("tbody tr")).toHaveCount(Math.max(before - 1, 1));
  await expect(status.getByTestId("link-action-said")).toHaveText(/^Unlinked .*billing-web; its synced data is kept\./);
  // The row that moved up does not inherit the open confirmation, and focus is on the status
  // line that says what happened, so a second Enter unlinks nothing.
  await expect(repos.locator("details[open]")).toHaveCount(0);
  await expect(status).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(repos.locator("tbody tr")).toHaveCount(Math.max(before - 1, 1));

  await page.goto("/audit?entity_id=BILLING");
  const entries = page.getByTestId("audit-entries");
  await expect(entries).toContainText("link.delete");
  await expect(entries).toContainText("link.update");
  await page.screenshot({ path: `${shots}/link-actions-audit.png`, fullPage: true });
});

test("the link dialog keeps focus inside, and Escape closes it", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/projects/SEARCH?link=repository");
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText("Looking for suggestions upstream…")).toHaveCount(0, { timeout: 20_000 });
  await expect(dialog.getByRole("searchbox")).toBeFocused();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page).toHaveURL(/\/projects\/SEARCH$/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the link forms still work: deactivate posts the form and the page comes back changed", async ({ page }) => {
    await signInWithoutScript(page, "admin");
    await page.goto("/projects/IDENTITY");
    const row = page.getByTestId("repository-links").locator("tbody tr").filter({ hasText: "auth-service" });
    await expect(row.getByRole("button", { name: /^Deactivate / })).toBeVisible();
    await row.getByRole("button", { name: /^Deactivate / }).click();
    await expect(page).toHaveURL(/\/projects\/IDENTITY\??$/);
    const after = page.getByTestId("repository-links").locator("tbody tr").filter({ hasText: "auth-service" });
    await expect(after).toContainText("inactive");
    await expect(after.getByRole("button", { name: /^Activate / })).toBeVisible();
  });
});
