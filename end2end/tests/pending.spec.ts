import { test, expect, type Browser } from "@playwright/test";
import { shots } from "./helpers";
import { credentials, signIn } from "./auth";

/** As the member, claims two addresses that are not theirs: both wait for an admin. */
async function memberClaims(browser: Browser): Promise<{ name: string; claimed: string[] }> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, "member");
  const persons: { id: string; name: string; email: string }[] = await (await page.request.get("/api/persons")).json();
  const me = persons.find((p) => p.email === credentials.member.email)!;
  const stamp = Date.now();
  const claimed = [`reject.me.${stamp}@elsewhere.test`, `approve.me.${stamp}@elsewhere.test`];
  for (const email of claimed) {
    const r = await page.request.post(`/api/persons/${me.id}/commit-identities`, { data: { email } });
    expect(r.status()).toBe(201);
    expect((await r.json()).status).toBe("pending");
  }
  // The member has no queue: neither in the navigation nor at its address.
  await page.goto("/pending");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Pending/ })).toHaveCount(0);
  await expect(page.getByRole("alert")).toContainText("only an admin may do this");
  await page.context().close();
  return { name: me.name, claimed };
}

for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
  test(`an admin approves and rejects waiting links with the evidence and a reason (${viewport.width} px)`, async ({ browser, page }) => {
    const { name, claimed } = await memberClaims(browser);
    const [rejected, approved] = claimed;
    await page.setViewportSize(viewport);
    await signIn(page, "admin");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByTestId("pending-count")).toContainText(/\d+/);
    await nav.getByRole("link", { name: /Pending/ }).click();
    await expect(page.getByRole("heading", { name: "Pending links" })).toBeVisible();

    const item = page.getByTestId("pending-item").filter({ hasText: rejected });
    await expect(item.getByTestId("pending-why")).toHaveText(`The commit e-mail ${rejected} is not ${name}'s (${credentials.member.email}).`);
    await expect(item).toContainText("by themselves");
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: `${shots}/pending-queue-${viewport.width}.png`, fullPage: true });

    await item.getByLabel("Why reject (optional)").fill("not an address of theirs");
    await item.getByRole("button", { name: `Reject the commit e-mail ${rejected}` }).click();
    await expect(page.getByTestId("pending-status")).toHaveText(`Rejected the commit e-mail ${rejected} for ${name}: the link is removed.`);
    await expect(page.getByTestId("pending-item").filter({ hasText: rejected })).toHaveCount(0);

    await page.getByTestId("pending-item").filter({ hasText: approved }).getByRole("button", { name: `Approve the commit e-mail ${approved}` }).click();
    await expect(page.getByTestId("pending-status")).toHaveText(`Approved the commit e-mail ${approved} for ${name}: it is linked now.`);
    await expect(page.getByTestId("pending-item").filter({ hasText: approved })).toHaveCount(0);
    await page.screenshot({ path: `${shots}/pending-decided-${viewport.width}.png`, fullPage: true });

    const audit: { action: string; after: { reason?: string } }[] = await (await page.request.get("/api/audit?action=link.reject")).json();
    expect(audit.some((e) => e.after?.reason === "not an address of theirs")).toBe(true);
  });
}
