import { test, expect } from "@playwright/test";
import { shots } from "./helpers";
import { signIn } from "./auth";

test("a lead runs a sync of their project, watches the progress bar reach the end and finds the run in the history", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "lead");
  await page.goto("/projects/PLATFORM");
  // The button works once hydrated (it then follows the run's live events).
  const runNow = page.getByTestId("run-now");
  await expect(runNow).toHaveAttribute("data-hydrated", "true");
  await runNow.getByRole("button", { name: /^Run now: sync / }).click();
  const progress = runNow.getByTestId("sync-progress");
  await expect(progress).toBeVisible();
  const run = await progress.getAttribute("data-run");
  await expect(progress).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await expect(progress.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  await page.screenshot({ path: `${shots}/sync-project.png`, fullPage: true });

  await page.getByRole("link", { name: "Sync", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Sync", level: 1 })).toBeVisible();
  // Everything is the admins' to run.
  await expect(page.getByTestId("run-now")).toHaveCount(0);
  const row = page.locator(`[data-testid=sync-run][data-run="${run}"]`);
  await expect(row).toContainText("project:PLATFORM");
  await expect(row).toContainText("succeeded");
  await expect(row.getByTestId("run-counts")).toContainText(/\d+ links, \d+ rows written/);
  await page.screenshot({ path: `${shots}/sync-history.png`, fullPage: true });
});

test("an admin runs everything from the sync page and sees the run finish in the history", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "admin");
  await page.goto("/sync");
  const runNow = page.getByTestId("run-now");
  await expect(runNow).toHaveAttribute("data-hydrated", "true");
  await runNow.getByRole("button", { name: /^Run now: sync / }).click();
  const progress = runNow.getByTestId("sync-progress");
  const run = await progress.getAttribute("data-run");
  await expect(progress).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await expect(progress.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  const row = page.locator(`[data-testid=sync-run][data-run="${run}"]`);
  await expect(row).toContainText("all");
  await expect(row).toContainText("succeeded");
  await expect(row.getByTestId("run-counts")).toContainText("issues");
  await page.screenshot({ path: `${shots}/sync-all.png`, fullPage: true });
});
