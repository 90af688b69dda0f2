import { test, expect } from "@playwright/test";
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
  await expect(page.locator("[data-hydrated=true]")).toHaveCount(1);
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
});

test("unknown pages say so", async ({ page }) => {
  await signIn(page, "member");
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
