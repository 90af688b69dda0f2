import { expect, Page, Locator } from "@playwright/test";

export const shots = "../target/end2end-results";

/** Waits until the app runs in the page: before that, a form posts natively and the page reloads
 * instead of answering in place. */
export async function hydrated(page: Page) {
  await expect(page.locator("main#main")).toHaveAttribute("data-hydrated", "true", { timeout: 20_000 });
}

/** Opens a project's link dialog (Jira projects or repositories) and waits for its suggestions. */
export async function openDialog(page: Page, project: string, kind: "jira" | "repository"): Promise<Locator> {
  await page.goto(`/projects/${project}`);
  await page.getByRole("link", { name: kind === "jira" ? "Link Jira projects" : "Link repositories" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText("Looking for suggestions upstream…")).toHaveCount(0, { timeout: 20_000 });
  return dialog;
}

export function candidate(dialog: Locator, label: string): Locator {
  return dialog.getByTestId("candidate").filter({ hasText: label });
}

export async function search(dialog: Locator, text: string) {
  const box = dialog.getByRole("searchbox");
  await box.fill(text);
  await box.press("Enter");
  await expect(dialog.getByRole("button", { name: "Searching…" })).toHaveCount(0, { timeout: 20_000 });
}
