import { test, expect } from "@playwright/test";
import { shots } from "./helpers";
import { signIn } from "./auth";

test("an admin downloads an export and imports a CSV file, first refused row by row, then written", async ({ page }) => {
  await signIn(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Files" }).click();
  await expect(page.getByRole("heading", { name: "Import & export" })).toBeVisible();

  // The export links download what the REST API serves, with the session.
  const csv = await page.request.get((await page.getByRole("link", { name: "Projects (CSV)" }).getAttribute("href"))!);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toMatch(/^key,name,description,leadEmail/);

  const key = `F${Date.now().toString().slice(-8)}`;
  const file = (body: string) => ({ name: "velocity-projects.csv", mimeType: "text/csv", buffer: Buffer.from(body) });
  // Only the hydrated page reads a chosen file into the box.
  await expect(page.getByLabel("A file (.json or .csv)")).toHaveAttribute("data-hydrated", "true");
  // One bad row (an existing key) refuses the whole file: nothing is written.
  await page.getByLabel("A file (.json or .csv)").setInputFiles(file(`key,name\n${key},Imported files test\nPLATFORM,Again\n`));
  await expect(page.getByLabel("Format")).toHaveValue("projects.csv");
  await expect(page.getByLabel("Content (filled from the file, or pasted)")).toHaveValue(new RegExp(`^key,name\\n${key},`));
  await page.getByRole("button", { name: "Import" }).click();
  const report = page.getByTestId("import-report");
  await expect(report).toContainText("Nothing was written: 1 rows are refused");
  await expect(report.getByTestId("import-refused")).toContainText("PLATFORM");
  await page.screenshot({ path: `${shots}/transfer-refused.png`, fullPage: true });
  expect((await page.request.get(`/api/projects/${key}`)).status()).toBe(404);

  await page.getByLabel("A file (.json or .csv)").setInputFiles(file(`key,name\n${key},Imported files test\n`));
  await expect(page.getByLabel("Content (filled from the file, or pasted)")).toHaveValue(new RegExp(`^key,name\\n${key},Imported files test\\n$`));
  await page.getByRole("button", { name: "Import" }).click();
  await expect(report).toContainText("Imported 1 rows: 0 people and 1 projects created");
  expect((await page.request.get(`/api/projects/${key}`)).status()).toBe(200);
  await page.screenshot({ path: `${shots}/transfer-imported.png`, fullPage: true });
});
