import { test, expect } from "@playwright/test";
import { hydrated } from "./helpers";
import { signIn } from "./auth";

test("the directory lists the sample org and filters it once hydrated", async ({ page }) => {
  await signIn(page, "member");
  await page.goto("/");
  const projects = page.getByTestId("projects").locator("tbody tr");
  const persons = page.getByTestId("persons").locator("tbody tr");

  // Server-rendered content is there before any script runs.
  await expect(projects.filter({ hasText: "Mobile App" })).toHaveCount(1);
  await expect(persons.filter({ hasText: "John Doe" })).toHaveCount(1);
  const allProjects = await projects.count();
  const allPersons = await persons.count();
  expect(allProjects).toBeGreaterThan(1);
  expect(allPersons).toBeGreaterThan(1);

  // The filter only works after hydration.
  await hydrated(page);
  const filter = page.getByRole("searchbox", { name: "Filter projects and people" });
  await filter.fill("john doe");
  await expect(persons.filter({ visible: true })).toHaveCount(1);
  await expect(persons.filter({ visible: true })).toContainText("John Doe");
  await expect(projects.filter({ visible: true })).toHaveCount(0);

  await filter.fill("mobile");
  await expect(projects.filter({ visible: true })).toHaveCount(1);
  await expect(projects.filter({ visible: true })).toContainText("MOBILE");

  await filter.fill("");
  await expect(projects.filter({ visible: true })).toHaveCount(allProjects);
  await expect(persons.filter({ visible: true })).toHaveCount(allPersons);
  await page.screenshot({ path: "../target/end2end-results/directory.png", fullPage: true });

  // Platforms in their own spelling, and each row leads to its page.
  await expect(projects.filter({ hasText: "MOBILE" })).toContainText("Bitbucket: ");
  await expect(page.getByTestId("projects")).not.toContainText(/\b(github|gitlab|bitbucket): /);
  await projects.filter({ hasText: "Mobile App" }).getByRole("link", { name: "MOBILE", exact: true }).click();
  await expect(page).toHaveURL(/\/projects\/MOBILE$/);
  await expect(page.getByTestId("repository-links")).not.toContainText("id {");
  await page.goBack();
  await persons.filter({ hasText: "John Doe" }).getByRole("link", { name: "John Doe" }).click();
  await expect(page).toHaveURL(/\/people\/[0-9a-f-]{36}$/);
});

test("unknown pages say so", async ({ page }) => {
  await signIn(page, "member");
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
