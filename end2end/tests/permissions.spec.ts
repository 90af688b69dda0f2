import { test, expect } from "@playwright/test";
import { shots } from "./helpers";
import { credentials, signIn } from "./auth";

// A page shows only what the signed-in person may do (decided on the server).
test("a member reads another lead's project without link, unlink or sync buttons, and has no Migration", async ({ page }) => {
  await signIn(page, "member");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Migration" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: /Pending/ })).toHaveCount(0);
  await page.goto(`/projects/${credentials.lead.leads}`);
  await expect(page.getByTestId("read-only-note")).toBeVisible();
  await expect(page.getByRole("link", { name: "Link Jira projects" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Link repositories" })).toHaveCount(0);
  await expect(page.locator("summary", { hasText: "Unlink" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Run now/ })).toHaveCount(0);
  await page.screenshot({ path: `${shots}/permissions-member-project.png`, fullPage: true });
});

test("the project's lead sees the link, unlink and sync actions", async ({ page }) => {
  await signIn(page, "lead");
  await page.goto(`/projects/${credentials.lead.leads}`);
  await expect(page.getByRole("link", { name: "Link Jira projects" })).toBeVisible();
  await expect(page.locator("summary", { hasText: "Unlink" }).first()).toBeVisible();
  await expect(page.getByTestId("read-only-note")).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Migration" })).toHaveCount(0);
});

test("the link dialog's address opens nothing for a member who does not lead the project", async ({ page }) => {
  await signIn(page, "member");
  await page.goto(`/projects/${credentials.lead.leads}?link=jira`);
  await expect(page.getByTestId("read-only-note")).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
});
