import { test, expect } from "@playwright/test";
import { shots } from "./helpers";
import { credentials, signIn } from "./auth";

test("the audit log names people, offers every action, shows seconds and pages through older entries", async ({ page }) => {
  await signIn(page, "admin");
  // 52 entries on one project: more than a page (50).
  const original: string = (await (await page.request.get("/api/projects/SEARCH")).json()).description;
  for (let i = 1; i <= 51; i++) {
    const r = await page.request.put("/api/projects/SEARCH", { data: { description: `audit paging ${i}` } });
    expect(r.status()).toBe(200);
  }
  expect((await page.request.put("/api/projects/SEARCH", { data: { description: original } })).status()).toBe(200);
  // And a person's entry, to see them named rather than numbered.
  const persons: { id: string; name: string; email: string }[] = await (await page.request.get("/api/persons")).json();
  const member = persons.find((p) => p.email === credentials.member.email)!;
  for (const name of [`${member.name} (audit)`, member.name]) {
    expect((await page.request.put(`/api/persons/${member.id}`, { data: { name } })).status()).toBe(200);
  }

  await page.goto("/audit");
  const actions = await page.locator('select[name="action"] option').allTextContents();
  for (const a of ["link.pending", "link.approve", "link.reject", "link.renamed", "link.invalidated", "connection.rotate", "setup.claim"]) {
    expect(actions).toContain(a);
  }
  // The entity picker offers people by name; choosing one filters to them.
  await page.locator('select[name="entity_id"]').selectOption({ label: member.name });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`entity_id=${member.id}`));
  const entries = page.getByTestId("audit-entries");
  await expect(entries.locator("tbody tr").first()).toContainText(`person ${member.name}`);
  await expect(entries).not.toContainText(`person ${member.id}`);
  await expect(entries.locator("tbody tr").first().locator("time")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
  await page.screenshot({ path: `${shots}/audit-person.png`, fullPage: true });

  await page.goto("/audit?entity_id=SEARCH&action=project.update");
  const rows = entries.locator("tbody tr");
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText(original.slice(0, 20));
  const firstPage = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-entry")));
  await page.getByTestId("audit-older").click();
  await expect(page).toHaveURL(/before=\d+/);
  await expect(page).toHaveURL(/action=project.update/);
  const older = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-entry")));
  expect(older.length).toBeGreaterThanOrEqual(2);
  expect(older.filter((id) => firstPage.includes(id))).toEqual([]);
  expect(Math.max(...older.map(Number))).toBeLessThan(Math.min(...firstPage.map(Number)));
  await expect(page.getByRole("link", { name: "← Newest" })).toBeVisible();
  await page.screenshot({ path: `${shots}/audit-older.png`, fullPage: true });
});
