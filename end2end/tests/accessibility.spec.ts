import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { signIn } from "./auth";
import { hydrated, openDialog } from "./helpers";

/** axe-core on the page as it is now: any violation fails, listed with where it is. */
async function noViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(found, `axe on ${where}`).toEqual([]);
}

/** The first person's page, through the REST API. */
async function somePerson(page: Page): Promise<string> {
  const persons: { id: string }[] = await (await page.request.get("/api/persons")).json();
  return persons[0].id;
}

test("every page an admin opens passes axe", async ({ page }) => {
  // Eighteen pages, each loaded to rest and analysed: more than the default 30 s.
  test.setTimeout(120_000);
  await signIn(page, "admin");
  const person = await somePerson(page);
  const pages = [
    "/", "/projects", "/projects/PLATFORM", "/people", `/people/${person}`, "/me/accounts", "/sync", "/audit",
    "/link-health", "/migration", "/connections", "/setup", "/import", "/suggestions", "/pending", "/me/tokens", "/transfer", "/no-such-page",
  ];
  for (const path of pages) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    await noViolations(page, path);
  }
  const dialog = await openDialog(page, "PLATFORM", "jira");
  await expect(dialog).toBeVisible();
  await noViolations(page, "the Jira link dialog");
});

test("the sign-in page and a member's pages pass axe", async ({ page }) => {
  await page.goto("/login");
  await noViolations(page, "/login");
  await signIn(page, "member");
  for (const path of ["/", "/projects/PLATFORM", "/me/accounts"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    await noViolations(page, path);
  }
});

test("a skip link leads past the navigation to the page", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await skip.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  await expect(page.locator("main#main")).toBeFocused();
});
