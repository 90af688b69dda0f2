import { test, expect } from "@playwright/test";
import { hydrated } from "./helpers";
import { credentials, signIn, type Role } from "./auth";

test("the anonymous are sent to the login page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { name: "Sign in to Velocity" })).toBeVisible();
});

for (const role of Object.keys(credentials) as Role[]) {
  test(`the demo signs in as ${role} and signs out`, async ({ page }) => {
    await signIn(page, role);
    await expect(page).toHaveURL(/\/$/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
  });
}

test("a wrong password is refused on the page", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("E-mail").fill(credentials.member.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("wrong e-mail or password");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a wrong password comes back to the login page with the reason", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("E-mail").fill(credentials.member.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/login\?/);
    await expect(page.getByRole("alert")).toContainText("wrong e-mail or password");
    await page.screenshot({ path: "../target/end2end-results/login-refused-no-js.png" });
  });
});
