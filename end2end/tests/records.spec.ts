import { test, expect, type Page } from "@playwright/test";
import { shots } from "./helpers";
import { signIn } from "./auth";

/** Opens a record form's <details> (unless it is open) once the page has hydrated: its forms
 * then answer in place. */
async function openForm(page: Page, testId: string, summary: string) {
  const form = page.getByTestId(testId);
  await expect(form).toHaveAttribute("data-hydrated", "true");
  if (!(await form.evaluate((d) => (d as HTMLDetailsElement).open))) await form.getByText(summary, { exact: true }).click();
  return form;
}

for (const { name, viewport } of [
  { name: "desktop", viewport: { width: 1440, height: 900 } },
  { name: "mobile", viewport: { width: 390, height: 844 } },
]) {
  test(`an admin creates a project, edits it, deactivates and reactivates it (${name})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await signIn(page, "admin");
    await page.goto("/projects");
    const key = `REC_${name.toUpperCase()}_${Date.now() % 100000}`;
    let form = await openForm(page, "new-project", "New project");
    await form.getByLabel("Key (capitals, digits, _; it never changes)").fill(key);
    await form.getByLabel("Name").fill("Records Test");
    await form.getByLabel("Description").fill("Made in the browser");
    const lead = form.getByLabel("Lead");
    const yuki = (await lead.locator("option", { hasText: "yuki.obrien@acme.test" }).textContent())!;
    await lead.selectOption({ label: yuki });
    await page.screenshot({ path: `${shots}/records-new-project-${name}.png`, fullPage: true });
    await form.getByRole("button", { name: "Create project" }).click();
    await expect(page).toHaveURL(new RegExp(`/projects/${key}$`));
    await expect(page.getByRole("heading", { name: `${key} · Records Test`, level: 1 })).toBeVisible();
    await expect(page.getByText(`Lead: ${yuki.split(" (")[0]}`)).toBeVisible();

    // The key is taken now: the form says so, naming the field, and nothing else is created.
    await page.goto("/projects");
    form = await openForm(page, "new-project", "New project");
    await form.getByLabel("Key (capitals, digits, _; it never changes)").fill(key);
    await form.getByLabel("Name").fill("Another");
    await form.getByRole("button", { name: "Create project" }).click();
    await expect(form.getByRole("alert")).toHaveText(`key: a project with key '${key}' already exists`);
    await expect(page).toHaveURL(/\/projects$/);

    await page.goto(`/projects/${key}`);
    form = await openForm(page, "edit-project", "Edit project");
    await form.getByLabel("Name").fill("Records Renamed");
    await form.getByLabel("Lead").selectOption({ label: "no lead" });
    await form.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("record-status")).toHaveText(`Saved ${key} · Records Renamed.`);
    // Focus goes to the sentence: the form that was answered has been re-rendered.
    await expect(page.getByTestId("record-status")).toBeFocused();
    await expect(page.getByRole("heading", { name: `${key} · Records Renamed`, level: 1 })).toBeVisible();
    await expect(page.getByText("Lead: none")).toBeVisible();

    form = await openForm(page, "edit-project", "Edit project");
    await form.getByRole("button", { name: "Deactivate project" }).click();
    await expect(page.getByTestId("record-status")).toContainText(`Deactivated ${key}: it shows as inactive`);
    await expect(page.getByTestId("project-inactive")).toHaveText("inactive");
    await page.screenshot({ path: `${shots}/records-project-deactivated-${name}.png`, fullPage: true });
    form = await openForm(page, "edit-project", "Edit project");
    await form.getByRole("button", { name: "Reactivate project" }).click();
    await expect(page.getByTestId("record-status")).toHaveText(`Reactivated ${key}.`);
    await expect(page.getByTestId("project-inactive")).toHaveCount(0);

    // Each write is in the audit log, by the admin, from the browser.
    const audit = await (await page.request.get(`/api/audit?entityType=project&entityId=${key}`)).json();
    const actions = audit.map((e: { action: string }) => e.action).sort();
    expect(actions).toEqual(["project.create", "project.deactivate", "project.update", "project.update"]);
  });
}

test("an admin adds a person and corrects them; a taken e-mail is refused in words", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/people");
  const stamp = Date.now() % 100000;
  let form = await openForm(page, "new-person", "Add a person");
  await form.getByLabel("Name").fill(`Rec Person ${stamp}`);
  await form.getByLabel("E-mail (unique; suggestions match on it)").fill(`rec.person.${stamp}@acme.test`);
  await form.getByRole("button", { name: "Add person" }).click();
  await expect(page.getByRole("heading", { name: `Rec Person ${stamp}`, level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/people\/[0-9a-f-]{36}$/);

  form = await openForm(page, "edit-person", "Edit person");
  await form.getByLabel("E-mail").fill("John.Doe@acme.test");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert")).toHaveText("email: another person already has the e-mail 'John.Doe@acme.test' (compared ignoring case)");

  form = await openForm(page, "edit-person", "Edit person");
  await form.getByLabel("Name").fill(`Rec Renamed ${stamp}`);
  await form.getByLabel("E-mail").fill(`rec.renamed.${stamp}@acme.test`);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("record-status")).toHaveText(`Saved Rec Renamed ${stamp} (rec.renamed.${stamp}@acme.test).`);
  await expect(page.getByRole("heading", { name: `Rec Renamed ${stamp}`, level: 1 })).toBeVisible();
  await page.screenshot({ path: `${shots}/records-person-edited.png`, fullPage: true });
});

test("a member and a lead see no record forms", async ({ page }) => {
  for (const role of ["member", "lead"] as const) {
    await signIn(page, role);
    await page.goto("/projects");
    await expect(page.getByTestId("project-list")).toBeVisible();
    await expect(page.getByTestId("new-project")).toHaveCount(0);
    await page.goto("/projects/PLATFORM");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("PLATFORM");
    await expect(page.getByTestId("edit-project")).toHaveCount(0);
    await page.goto("/people");
    await expect(page.getByTestId("people-list")).toBeVisible();
    await expect(page.getByTestId("new-person")).toHaveCount(0);
    await page.goto("/me/accounts");
    await expect(page.getByRole("heading", { name: "My accounts" })).toBeVisible();
    await expect(page.getByTestId("edit-person")).toHaveCount(0);
    await page.context().clearCookies();
  }
});
