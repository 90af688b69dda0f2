import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { shots } from "./helpers";
import { signIn } from "./auth";

test.beforeEach(async ({ page }) => {
  await signIn(page, "admin");
});

test("link health lists a link made after the last sync as never synced", async ({ page }) => {
  // The demo synced every link at start; PAYMENTS' Jira project (id 10009) is linked by no one
  // and used by no other spec, so linking it now makes a link that has never synced.
  const r = await page.request.post("/api/projects/PAYMENTS/links/jira", {
    data: { project: "10009", acknowledgeWarnings: true },
  });
  expect(r.status()).toBe(201);
  await page.goto("/link-health");
  await expect(page.getByRole("heading", { name: /Never synced \(\d+\)/ })).toBeVisible();
  await expect(page.getByTestId("health-never-synced")).toContainText("PAYMENTS");
  await page.screenshot({ path: `${shots}/link-health.png`, fullPage: true });
});

test("the legacy migration runs as a dry run and reports without writing", async ({ page }) => {
  // `velocity demo` writes its org's legacy records here (the web server runs in end2end/).
  const records = readFileSync("target/demo-org.json", "utf8");
  await page.goto("/migration");
  // Chosen as a file: its text lands in the box, where it can be read before running.
  const picker = page.getByLabel("A file of legacy records (.json)");
  // Only the hydrated page reads a chosen file into the box.
  await expect(picker).toHaveAttribute("data-hydrated", "true");
  await picker.setInputFiles({ name: "demo-org.json", mimeType: "application/json", buffer: Buffer.from(records) });
  await expect(page.getByLabel(/Legacy records/)).toHaveValue(records);
  await page.getByRole("button", { name: "Run migration" }).click();
  const report = page.getByTestId("migration-report");
  await expect(report.getByRole("status")).toContainText("would create", { timeout: 20_000 });
  await expect(report).toContainText("already present");
  // Grouped by outcome, each group with its count.
  await expect(report.getByTestId("migration-group-created")).toHaveText(/^Would create \(\d+\)$/);
  await expect(report.getByTestId("migration-group-already_present")).toHaveText(/^Already present \(\d+\)$/);
  await page.screenshot({ path: `${shots}/migration-dry-run.png`, fullPage: true });
});
