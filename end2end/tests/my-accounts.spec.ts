import { test, expect } from "@playwright/test";
import { shots } from "./helpers";
import { signIn } from "./auth";

test.beforeEach(async ({ page }) => {
  await signIn(page, "member");
});

test("a member links their own account on My accounts", async ({ page }) => {
  await page.getByRole("link", { name: "My accounts" }).click();
  await expect(page.getByRole("heading", { name: "My accounts", level: 1 })).toBeVisible();
  await expect(page.getByTestId("read-only")).toHaveCount(0);
  const accounts = page.getByTestId("account");
  const before = await accounts.count();

  await page.getByRole("link", { name: "Link my accounts" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: "Link my accounts" })).toBeVisible();
  await expect(dialog.getByText("Looking for suggestions upstream…")).toHaveCount(0, { timeout: 20_000 });
  const suggested = dialog.getByTestId("suggested-links").getByTestId("candidate");
  await expect(suggested.first()).toContainText("score");
  // Exactly the first suggestion is confirmed.
  for (const box of await dialog.getByTestId("suggested-links").getByRole("checkbox").all()) {
    if (await box.isChecked()) await box.uncheck();
  }
  const first = suggested.first();
  await first.getByRole("checkbox").first().check();
  await expect(first.getByTestId("preview")).toBeVisible();
  const warning = first.getByTestId("duplicate-warning");
  if (await warning.count()) await warning.getByRole("checkbox", { name: "Link anyway" }).check();
  await page.screenshot({ path: `${shots}/my-accounts-dialog.png` });
  await dialog.getByRole("button", { name: "Confirm Links" }).click();
  // The page says what was linked; a link that waits for an admin keeps the dialog open to say so.
  await expect(page.getByTestId("link-action-said")).toContainText("Linked ");
  if (await first.getByTestId("outcome-pending").count()) await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  await expect(accounts).toHaveCount(before + 1);
  await page.reload();
  await expect(accounts).toHaveCount(before + 1);
  // The member may withdraw what they linked; a link not matching their e-mail waits for an admin.
  await expect(page.locator("summary", { hasText: "Unlink" })).toHaveCount(before + 1);
  const pending = await page.getByTestId("pending").count();
  if (pending) await expect(page.getByTestId("pending").first()).toHaveText("waiting for an admin's approval");
  await page.screenshot({ path: `${shots}/my-accounts.png`, fullPage: true });
});

test("a member sees another person's accounts but cannot change them", async ({ page }) => {
  await page.goto("/people?q=john+doe");
  await page.getByTestId("people-list").getByRole("link", { name: "John Doe" }).click();
  await expect(page.getByRole("heading", { name: "John Doe", level: 1 })).toBeVisible();
  await expect(page.getByTestId("read-only")).toContainText("not change them");
  await expect(page.getByRole("link", { name: "Link accounts" })).toHaveCount(0);
  await expect(page.getByTestId("run-now")).toHaveCount(0);
  await expect(page.locator("summary", { hasText: "Unlink" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^(Activate|Deactivate|Make primary)\b/ })).toHaveCount(0);
  // The dialog's address opens nothing for someone who may not link.
  await page.goto(`${page.url()}?link=account`);
  await expect(page.getByTestId("read-only")).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.screenshot({ path: `${shots}/my-accounts-other-person.png`, fullPage: true });
});
