import { test, expect } from "@playwright/test";
import { shots } from "./helpers";
import { signIn } from "./auth";

test.beforeEach(async ({ page }) => {
  await signIn(page, "admin");
});

test("people are listed; a person without accounts sees suggested accounts with evidence and links one", async ({ page }) => {
  await page.goto("/people?q=john+doe");
  await expect(page.getByTestId("people-list").locator("tbody tr")).toHaveCount(1);

  // Someone who has linked nothing yet (a third of the sample org).
  await page.goto("/people");
  const rows = page.getByTestId("people-list").locator("tbody tr");
  const counts = await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).slice(2).map((td) => td.textContent?.trim())));
  const index = counts.findIndex((c) => c.every((n) => n === "0"));
  expect(index).toBeGreaterThanOrEqual(0);
  const name = (await rows.nth(index).locator("td").first().innerText()).trim();
  await rows.nth(index).getByRole("link").click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByTestId("jira-accounts")).toContainText("No account linked.");

  await page.getByRole("link", { name: "Link accounts" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: `Link accounts to "${name}"` })).toBeVisible();
  await expect(dialog.getByText("Looking for suggestions upstream…")).toHaveCount(0, { timeout: 20_000 });
  const suggested = dialog.getByTestId("suggested-links").getByTestId("candidate");
  await expect(suggested.first()).toContainText("score");
  const first = suggested.first();
  const box = first.getByRole("checkbox").first();
  if (!(await box.isChecked())) await box.check();
  await expect(first.getByTestId("preview")).toBeVisible();
  // Only the first suggestion is confirmed.
  for (const other of await suggested.getByRole("checkbox").all()) {
    if ((await other.isChecked()) && !(await first.getByRole("checkbox").first().evaluate((a, b) => a === b, await other.elementHandle()))) await other.uncheck();
  }
  const warning = first.getByTestId("duplicate-warning");
  if (await warning.count()) await warning.getByRole("checkbox", { name: "Link anyway" }).check();
  await page.screenshot({ path: `${shots}/person-suggestions.png` });
  await dialog.getByRole("button", { name: "Confirm Links" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.locator("summary", { hasText: "Unlink" })).toHaveCount(1);
  await page.screenshot({ path: `${shots}/person.png`, fullPage: true });
});
