import { test, expect } from "@playwright/test";
import { hydrated, shots } from "./helpers";
import { credentials, signIn } from "./auth";

test("an admin checks a project's links now and reads what upstream said", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/projects/MOBILE");
  await hydrated(page);
  await page.getByRole("button", { name: "Check links now" }).click();
  const result = page.getByTestId("check-links-result");
  await expect(result).toContainText(/^Checked \d+ links?: each is where it was upstream; nothing changed\./, { timeout: 20_000 });
  await page.screenshot({ path: `${shots}/check-links-project.png`, fullPage: true });
});

test("a lead may check their project; a member checks their own accounts but not a project they do not lead", async ({ page }) => {
  await signIn(page, "lead");
  await page.goto(`/projects/${credentials.lead.leads}`);
  await hydrated(page);
  await page.getByRole("button", { name: "Check links now" }).click();
  await expect(page.getByTestId("check-links-result")).toContainText(/^(Checked \d+ links?|There are no links to check)/, { timeout: 20_000 });

  await signIn(page, "member");
  await page.goto("/me/accounts");
  await hydrated(page);
  await page.getByRole("button", { name: "Check links now" }).click();
  await expect(page.getByTestId("check-links-result")).toContainText(/^(Checked \d+ links?|There are no links to check)/, { timeout: 20_000 });
  await page.goto(`/projects/${credentials.lead.leads}`);
  await expect(page.getByTestId("read-only-note")).toBeVisible();
  await expect(page.getByRole("button", { name: "Check links now" })).toHaveCount(0);
});
