import { test, expect, type Page } from "@playwright/test";
import { shots, openDialog } from "./helpers";
import { signIn } from "./auth";

test.use({ viewport: { width: 390, height: 844 } });

/** True when nothing on the page is wider than the screen. */
async function fitsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

test("at 390 px no page scrolls sideways and tables stack into rows", async ({ page }) => {
  await signIn(page, "admin");
  const persons: { id: string }[] = await (await page.request.get("/api/persons")).json();
  const pages = ["/", "/projects", "/projects/PLATFORM", "/people", `/people/${persons[0].id}`, "/me/accounts", "/me/tokens", "/sync", "/audit", "/link-health", "/connections", "/pending", "/suggestions", "/import", "/transfer", "/migration"];
  const wide: string[] = [];
  for (const path of pages) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    if (!(await fitsSideways(page))) wide.push(path);
    await page.screenshot({ path: `${shots}/mobile${path.replace(/\//g, "-").replace(/-$/, "") || "-directory"}.png`, fullPage: true });
  }
  expect(wide, "pages wider than 390 px").toEqual([]);
  // A project's link table shows as stacked rows: its header row is out of sight, its row actions are visible.
  await page.goto("/projects/PLATFORM");
  const table = page.getByTestId("jira-links");
  await expect(table.locator("thead")).toHaveCSS("position", "absolute");
  await expect(table.locator("tbody tr").first().locator("summary", { hasText: "Unlink" })).toBeVisible();
  // A stacked cell names itself, since its column heading is out of sight.
  const named = await table.locator("td[data-label='Last synced']").first().evaluate((td) => getComputedStyle(td, "::before").content);
  // (Chromium reports either the text or the attr() it comes from; "none" means no label.)
  expect(named === '"Last synced: "' || named.includes("attr(data-label)"), named).toBe(true);
});

test("at 390 px the link dialog fits, with Close and Confirm reachable", async ({ page }) => {
  await signIn(page, "admin");
  const dialog = await openDialog(page, "PLATFORM", "jira");
  expect(await fitsSideways(page)).toBe(true);
  const box = await dialog.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(390);
  const close = dialog.getByRole("button", { name: /^Close/ });
  await close.scrollIntoViewIfNeeded();
  await expect(close).toBeInViewport();
  const confirm = dialog.getByRole("button", { name: /^Confirm/ });
  await confirm.scrollIntoViewIfNeeded();
  await expect(confirm).toBeInViewport();
  await page.screenshot({ path: `${shots}/mobile-link-dialog.png` });
});
