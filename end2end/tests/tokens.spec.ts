import { test, expect } from "@playwright/test";
import { shots } from "./helpers";
import { signIn } from "./auth";

test("a member creates an API token, sees its secret once, uses it, and revokes it", async ({ page, playwright, baseURL }) => {
  await signIn(page, "member");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();

  // A name is required: the form says so instead of creating a nameless token.
  await page.getByLabel("Name (what the token is for)").fill("   ");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("alert")).toContainText("give the token a name of 1 to 200 characters");

  const name = `export job ${Date.now()}`;
  await page.getByLabel("Name (what the token is for)").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token")).toContainText("shown only this once");
  const secret = (await page.getByTestId("new-token-secret").textContent())!.trim();
  expect(secret.length).toBeGreaterThan(20);
  const row = page.getByTestId("token").filter({ hasText: name });
  await expect(row).toContainText("never");
  await page.screenshot({ path: `${shots}/tokens-created.png`, fullPage: true });

  // The token signs the REST API in as the member, and the list then shows it was used.
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
  expect((await api.get("/api/projects")).status()).toBe(200);
  await page.reload();
  await expect(row).not.toContainText("never");
  // A reload never shows the secret again.
  await expect(page.getByTestId("new-token-secret")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(page.getByTestId("token-status")).toHaveText(`Revoked "${name}": it no longer signs anything in.`);
  await expect(row).toContainText("revoked");
  expect((await api.get("/api/projects")).status()).toBe(401);
  await api.dispose();
});
