import { test, expect } from "@playwright/test";
import { candidate, openDialog, search, shots } from "./helpers";
import { signIn } from "./auth";

test.beforeEach(async ({ page }) => {
  await signIn(page, "admin");
});

test("a lead searches upstream and links a repository", async ({ page }) => {
  const dialog = await openDialog(page, "DWH", "repository");
  await search(dialog, "sandbox");
  const hit = candidate(dialog.getByTestId("search-results"), "sandbox");
  await expect(hit).toHaveCount(1);
  await hit.getByRole("checkbox").check();
  await expect(hit.getByTestId("preview")).toContainText("Will sync");
  await page.screenshot({ path: `${shots}/link-search-repo-dialog.png` });
  await dialog.getByRole("button", { name: "Confirm Links" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByTestId("repository-links")).toContainText("sandbox");
  await page.screenshot({ path: `${shots}/link-search-repo-project.png`, fullPage: true });
});
