import { test, expect } from "@playwright/test";
import { shots } from "./helpers";
import { signIn } from "./auth";

test("a lead reads a project's activity: hours per person per week, then its worklogs and commits", async ({ page }) => {
  await signIn(page, "lead");
  await page.goto("/projects/MOBILE?tab=summary&from=2020-01-01");
  const activity = page.getByTestId("activity");
  const hours = activity.getByTestId("chart").filter({ hasText: "Hours logged per week, by person" });
  await expect(hours.locator("svg rect").first()).toBeVisible();
  await expect(activity.getByTestId("summary")).toContainText("Issues opened");
  await page.screenshot({ path: `${shots}/activity-project-summary.png`, fullPage: true });

  await activity.getByRole("link", { name: "Worklogs" }).click();
  await expect(page).toHaveURL(/tab=worklogs/);
  const rows = page.getByTestId("activity-list").getByTestId("activity-row");
  await expect(rows.first()).toBeVisible();
  await expect(rows.first().getByRole("link")).toHaveAttribute("href", /\/browse\/MOBILE-\d+\?focusedWorklogId=/);
  await page.screenshot({ path: `${shots}/activity-project-worklogs.png`, fullPage: true });

  await activity.getByRole("link", { name: "Commits" }).click();
  await expect(page.getByTestId("activity-list").getByTestId("activity-row").first()).toBeVisible();
  const csv = page.getByTestId("csv");
  await expect(csv).toHaveAttribute("href", "/api/projects/MOBILE/commits?format=csv&from=2020-01-01");
  const older = page.getByRole("link", { name: "Older →" });
  if (await older.count()) {
    const first = await page.getByTestId("activity-row").first().textContent();
    await older.click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(page.getByTestId("activity-row").first()).not.toHaveText(first ?? "");
  }
});

test("a member links their Jira account, syncs, and sees their own time per project on My accounts", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "member");
  await page.goto("/me/accounts?link=account");
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByText("Looking for suggestions upstream…")).toHaveCount(0, { timeout: 20_000 });
  const suggested = dialog.getByTestId("suggested-links");
  // Once the page has settled (hydrated, suggestions loaded), only the Jira account is ticked.
  await page.waitForLoadState("networkidle");
  for (const box of await suggested.getByRole("checkbox").all()) {
    if (await box.isChecked()) await box.uncheck();
  }
  const jira = suggested.getByTestId("candidate").filter({ hasText: /\bjira\b/i }).first();
  await jira.getByRole("checkbox").first().check();
  await expect(suggested.getByRole("checkbox", { checked: true })).toHaveCount(1);
  const warning = jira.getByTestId("duplicate-warning");
  if (await warning.count()) await warning.getByRole("checkbox", { name: "Link anyway" }).check();
  await dialog.getByRole("button", { name: "Confirm Links" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByTestId("jira-accounts").getByTestId("account")).toHaveCount(1);

  const runNow = page.getByTestId("run-now");
  await expect(runNow).toHaveAttribute("data-hydrated", "true");
  await runNow.getByRole("button", { name: /^Run now: sync / }).click();
  await expect(runNow.getByTestId("sync-progress")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });

  await page.goto("/me/accounts?tab=summary&from=2020-01-01");
  const chart = page.getByTestId("activity").getByTestId("chart").filter({ hasText: "Hours logged per week, by project" });
  await expect(chart.locator("svg rect").first()).toBeVisible();
  await page.screenshot({ path: `${shots}/activity-my-time.png`, fullPage: true });
  await page.getByTestId("activity").getByRole("link", { name: "Worklogs" }).click();
  const rows = page.getByTestId("activity-list").getByTestId("activity-row");
  await expect(rows.first()).toContainText("Daniel Hansen");
});
