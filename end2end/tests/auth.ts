import { expect, type Page } from "@playwright/test";

// The accounts `velocity demo` seeds (it prints the same lines at start-up). The passwords are
// fixed because they only ever guard the simulated sample organisation.
export const credentials = {
  admin: { email: "john.doe@acme.test", password: "demo-admin-password" },
  lead: { email: "yuki.obrien@acme.test", password: "demo-lead-password", leads: "PLATFORM" },
  member: { email: "daniel.hansen@acme.test", password: "demo-member-password" },
} as const;

export type Role = keyof typeof credentials;

/** Signs in through the login page (a plain form post, so it works before hydration). */
export async function signIn(page: Page, role: Role): Promise<void> {
  const { email, password } = credentials[role];
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toContainText(`(${role})`);
}

/** Signs in with scripts off: the form posts and the server redirects to the directory. */
export async function signInWithoutScript(page: Page, role: Role): Promise<void> {
  const { email, password } = credentials[role];
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
}
