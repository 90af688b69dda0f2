import { test, expect, type Page } from "@playwright/test";
import { hydrated, shots } from "./helpers";
import { signIn } from "./auth";

/** The first person (by e-mail) whose commit e-mails have a suggestion, through the REST API. */
async function personWithSuggestion(page: Page): Promise<{ id: string; name: string; email: string }> {
  const persons: { id: string; name: string; email: string }[] = await (await page.request.get("/api/persons")).json();
  persons.sort((a, b) => a.email.localeCompare(b.email));
  for (const p of persons) {
    const found = await (await page.request.get(`/api/persons/${p.id}/commit-identities`)).json();
    if (found.suggestions.length > 0 && found.identities.length === 0) return p;
  }
  throw new Error("the demo has no person with a suggested commit e-mail");
}

test("an admin links a suggested commit e-mail, then unlinks it", async ({ page }) => {
  await signIn(page, "admin");
  const person = await personWithSuggestion(page);
  await page.goto(`/people/${person.id}`);
  await hydrated(page);
  const section = page.getByTestId("commit-emails");
  await expect(section.getByRole("heading", { name: "Commit e-mails" })).toBeVisible();
  await expect(section.getByText("No commit e-mail linked.")).toBeVisible();
  const suggestion = section.getByTestId("commit-email-suggestion").first();
  await expect(suggestion).toContainText(/unattributed commits?/);
  const email = (await suggestion.locator("span").first().textContent())!.trim();
  await page.screenshot({ path: `${shots}/commit-emails-suggested.png`, fullPage: true });

  await suggestion.getByRole("button", { name: `Link ${email}` }).click();
  await expect(section.getByTestId("commit-email-status")).toHaveText(`Linked ${email}: its commits count as this person's from the next sync.`);
  const row = section.getByTestId("commit-email").filter({ hasText: email });
  await expect(row).toContainText("linked");
  await expect(section.getByTestId("commit-email-suggestion").filter({ hasText: email })).toHaveCount(0);
  await page.screenshot({ path: `${shots}/commit-emails-linked.png`, fullPage: true });

  await row.getByRole("button", { name: `Unlink ${email}` }).click();
  await expect(section.getByTestId("commit-email")).toHaveCount(0);
  await expect(section.getByTestId("commit-email-suggestion").filter({ hasText: email })).toHaveCount(1);
});

test("a member's claim on an address that is not theirs waits for an admin; a no-reply address is refused", async ({ page }) => {
  await signIn(page, "member");
  await page.goto("/me/accounts");
  await hydrated(page);
  const section = page.getByTestId("commit-emails");
  const field = section.getByLabel("Link another commit e-mail");
  await field.fill("noreply@github.test");
  await section.getByRole("button", { name: "Link e-mail" }).click();
  await expect(section.getByRole("alert")).toContainText("automated no-reply address");

  const other = `someone.else.${Date.now()}@elsewhere.test`;
  await field.fill(other);
  await section.getByRole("button", { name: "Link e-mail" }).click();
  await expect(section.getByTestId("commit-email-status")).toContainText(`${other} waits for an admin's approval`);
  const row = section.getByTestId("commit-email").filter({ hasText: other });
  await expect(row).toContainText("waiting for an admin's approval");
  await expect(row.getByRole("button", { name: `Approve ${other}` })).toHaveCount(0);
  await page.screenshot({ path: `${shots}/commit-emails-pending.png`, fullPage: true });
});
