import { test, expect } from "@playwright/test";
import { candidate, openDialog, shots } from "./helpers";
import { signIn } from "./auth";

test.beforeEach(async ({ page }) => {
  await signIn(page, "lead");
});

test("confirming with nothing ticked asks for one, and the hint goes once one is ticked", async ({ page }) => {
  const dialog = await openDialog(page, "PLATFORM", "jira");
  for (const box of await dialog.getByRole("checkbox").all()) {
    if (await box.isChecked()) await box.uncheck();
  }
  await dialog.getByRole("button", { name: "Confirm Links" }).click();
  const hint = dialog.getByRole("alert").filter({ hasText: "Tick at least one to link, or Cancel." });
  await expect(hint).toBeVisible();
  await candidate(dialog, "PLAT - Platform").getByRole("checkbox").first().check();
  await expect(hint).toHaveCount(0);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("a lead links a suggested Jira project and sees it on the project page and in the audit log", async ({ page }) => {
  await page.goto("/projects?q=platform");
  const row = page.getByTestId("project-list").locator("tbody tr");
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("health-badge")).toHaveText("no links");
  await page.screenshot({ path: `${shots}/projects-list.png`, fullPage: true });

  const dialog = await openDialog(page, "PLATFORM", "jira");
  await expect(dialog.getByRole("heading", { name: 'Link Jira Projects to "Platform"' })).toBeVisible();
  const plat = candidate(dialog, "PLAT - Platform");
  // The strong suggestion is pre-checked, with its score, evidence and what will sync.
  await expect(plat.getByRole("checkbox")).toBeChecked();
  await expect(plat).toContainText("score");
  await expect(plat.getByTestId("preview")).toContainText("Will sync");
  // What will come in, in words, not the upstream record's raw fields.
  await expect(plat.getByTestId("preview")).toContainText(/PLAT - Platform: (\d+ issues? come in with their worklogs|no issues yet)/);
  await expect(plat.getByTestId("preview")).not.toContainText("archived");
  await page.screenshot({ path: `${shots}/link-suggested-dialog.png` });

  const total = /(\d+) issues? come in/.exec((await plat.getByTestId("preview").textContent()) ?? "")?.[1];

  await dialog.getByRole("button", { name: "Confirm Links" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  // The page says what was linked.
  await expect(page.getByTestId("link-action-said")).toHaveText(/^Linked PLAT - Platform/);
  const jira = page.getByTestId("jira-links");
  await expect(jira).toContainText("PLAT");
  await expect(jira).toContainText("Platform");
  // Before any sync, the row shows what the dialog's preview already knew: the issue count.
  expect(total, "the sample org's PLAT has issues").toBeTruthy();
  await expect(jira.locator("tbody tr").filter({ hasText: "PLAT" })).toContainText(`— / ${total}`);
  await page.reload();
  await expect(page.getByTestId("jira-links")).toContainText("PLAT");
  await page.screenshot({ path: `${shots}/link-suggested-project.png`, fullPage: true });

  await page.goto("/audit?entity_type=project&entity_id=PLATFORM&action=link.create");
  const entries = page.getByTestId("audit-entries");
  await expect(entries.locator("tbody tr").first()).toContainText("link.create");
  await expect(entries).toContainText("PLAT");
  await page.screenshot({ path: `${shots}/link-suggested-audit.png`, fullPage: true });
});
