import { test, expect, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { shots } from "./helpers";

// The first hour of a real organisation, on an EMPTY Velocity (not the demo's data): this spec
// serves its own `velocity serve` on the empty database scripts/test.sh made, beside
// `velocity sim` standing in for the organisation's Jira, GitHub, GitLab, Bitbucket and Slack.
const emptyDatabase = process.env.E2E_EMPTY_DATABASE_URL;
const binary = "../target/debug/velocity";

type Sim = {
  jira: string; bitbucket: string; github: string; gitlab: string; slack: string;
  credentials: { jiraEmail: string; jiraToken: string; bitbucketToken: string; githubToken: string; gitlabToken: string; slackToken: string };
  scopes: { bitbucket: string; github: string; gitlab: string; slack: string };
};

const children: ChildProcess[] = [];

/** Starts a process and resolves with the stdout lines up to the first one `done` accepts. */
function start(args: string[], env: NodeJS.ProcessEnv, done: (line: string) => boolean): Promise<string[]> {
  const child = spawn(binary, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    child.once("exit", (code) => reject(new Error(`velocity ${args[0]} exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      lines.push(line);
      if (done(line)) resolve(lines);
    });
  });
}

test.afterAll(() => {
  for (const c of children) c.kill("SIGTERM");
});

async function addConnection(page: Page, fields: { kind: string; name: string; baseUrl: string; scope?: string; email?: string; bearer?: boolean; token: string }) {
  await page.getByRole("button", { name: "Add connection" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Kind").selectOption(fields.kind);
  await dialog.getByLabel("Name").fill(fields.name);
  await dialog.getByLabel("Base URL").fill(fields.baseUrl);
  if (fields.scope) await dialog.getByLabel(/^Scope:/).fill(fields.scope);
  if (fields.bearer) await dialog.getByLabel("Authentication").selectOption("bearer");
  if (fields.email) await dialog.getByLabel("Account e-mail").fill(fields.email);
  await dialog.getByLabel("Token", { exact: true }).fill(fields.token);
  await dialog.getByRole("button", { name: "Test and save" }).click();
  await expect(dialog).toHaveCount(0, { timeout: 20_000 });
  const row = page.getByTestId(`connection-${fields.name}`);
  await expect(row).toContainText("enabled");
}

test("a new organisation sets Velocity up from nothing: claim, connect all five, import, review, link, sync", async ({ page }) => {
  test.skip(!emptyDatabase, "needs E2E_EMPTY_DATABASE_URL (scripts/test.sh makes the empty database)");
  test.setTimeout(240_000);

  const simLine = (await start(["sim"], {}, (l) => l.startsWith("{")))!.at(-1)!;
  const sim: Sim = JSON.parse(simLine);
  let code = "";
  const served = await start(["serve", "--addr", "127.0.0.1:0", "--site-root", "../target/site"], { DATABASE_URL: emptyDatabase }, (l) => {
    const found = l.match(/^setup code: (\S+)/);
    if (found) code = found[1];
    return l.startsWith("listening on ");
  });
  const base = served.at(-1)!.replace("listening on ", "");
  expect(code, "serve prints a setup code on an empty database").toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

  // 1. Nobody has an account: the front page leads to setup, which takes the printed code.
  await page.goto(`${base}/`);
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Set up Velocity" })).toBeVisible();
  await page.screenshot({ path: `${shots}/first-run-setup.png`, fullPage: true });
  await page.getByLabel("Setup code").fill("AAAA-BBBB-CCCC-DDDD");
  await page.getByLabel("Your name").fill("Ana Admin");
  await page.getByLabel("E-mail").fill("ana.admin@acme.test");
  await page.getByLabel(/^Password/).fill("a-long-enough-password");
  await page.getByRole("button", { name: "Create the first admin" }).click();
  await expect(page.getByRole("alert")).toContainText("not the setup code");
  await page.getByLabel("Setup code").fill(code.toLowerCase());
  await page.getByRole("button", { name: "Create the first admin" }).click();
  // Hashing the password is slow on purpose (argon2): give the sign-in its seconds.
  await expect(page.getByRole("heading", { name: "Getting started" })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("current-user")).toContainText("Ana Admin (admin)");
  await page.screenshot({ path: `${shots}/first-run-getting-started.png`, fullPage: true });

  // 2. Connections: a wrong token first, refused in a sentence; then all five.
  await page.getByTestId("step-1").getByRole("link", { name: "Connections" }).click();
  await expect(page.getByTestId("no-connections")).toBeVisible();
  await page.getByRole("button", { name: "Add connection" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Kind").selectOption("jira");
  await dialog.getByLabel("Name").fill("Acme Jira");
  await dialog.getByLabel("Base URL").fill(sim.jira);
  await dialog.getByLabel("Account e-mail").fill(sim.credentials.jiraEmail);
  await dialog.getByLabel("Token", { exact: true }).fill("not-the-token");
  await dialog.getByRole("button", { name: "Test and save" }).click();
  await expect(dialog.getByTestId("test-outcome")).toContainText("Jira Cloud refused the credentials (401", { timeout: 20_000 });
  await page.screenshot({ path: `${shots}/first-run-wrong-token.png` });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await addConnection(page, { kind: "jira", name: "Acme Jira", baseUrl: sim.jira, email: sim.credentials.jiraEmail, token: sim.credentials.jiraToken });
  await addConnection(page, { kind: "github", name: "Acme GitHub", baseUrl: sim.github, scope: sim.scopes.github, token: sim.credentials.githubToken });
  await addConnection(page, { kind: "gitlab", name: "Acme GitLab", baseUrl: sim.gitlab, scope: sim.scopes.gitlab, token: sim.credentials.gitlabToken });
  await addConnection(page, { kind: "bitbucket", name: "Acme Bitbucket", baseUrl: sim.bitbucket, scope: sim.scopes.bitbucket, bearer: true, token: sim.credentials.bitbucketToken });
  await addConnection(page, { kind: "slack", name: "Acme Slack", baseUrl: sim.slack, scope: sim.scopes.slack, token: sim.credentials.slackToken });
  await expect(page.getByTestId("connections").locator("tbody tr")).toHaveCount(5);
  await page.screenshot({ path: `${shots}/first-run-connections.png`, fullPage: true });

  // 3. People from Slack (bots left out), projects from Jira: created, nothing linked.
  await page.getByRole("link", { name: "Import", exact: true }).click();
  await page.getByLabel("Connection").selectOption({ label: "Acme Slack (Slack)" });
  await page.getByRole("button", { name: "Preview" }).click();
  const preview = page.getByTestId("directory-preview");
  await expect(preview).toBeVisible({ timeout: 20_000 });
  await expect(preview.getByTestId("directory-entry").filter({ hasText: "a bot" }).first().getByRole("checkbox")).not.toBeChecked();
  await page.screenshot({ path: `${shots}/first-run-import-people.png`, fullPage: true });
  await page.getByRole("button", { name: /^Create \d+ people$/ }).click();
  await expect(page.getByTestId("import-report")).toContainText(/Created [1-9]\d*, skipped 0\./);

  await page.getByLabel("Connection").selectOption({ label: "Acme Jira (Jira Cloud)" });
  await page.getByRole("radio", { name: "Projects" }).check();
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("directory-preview")).toContainText("PLAT", { timeout: 20_000 });
  await expect(page.getByTestId("directory-entry").filter({ hasText: "archived in Jira" }).first().getByRole("checkbox")).not.toBeChecked();
  await page.getByRole("button", { name: /^Create \d+ projects$/ }).click();
  await expect(page.getByTestId("import-report")).toContainText("PLAT Platform");

  // 4. Bulk review: the strong suggestions for people, ticked at once and confirmed.
  await page.getByRole("link", { name: "Review", exact: true }).click();
  const list = page.getByTestId("review-list");
  await expect(list).toBeVisible({ timeout: 60_000 });
  await expect(list.getByRole("checkbox", { checked: true })).toHaveCount(0);
  await page.getByLabel("Score at least").selectOption("0.9");
  await page.getByRole("button", { name: "Tick all shown" }).click();
  await page.screenshot({ path: `${shots}/first-run-review.png`, fullPage: true });
  await page.getByRole("button", { name: /^Confirm \d+ links$/ }).click();
  await expect(page.getByTestId("review-outcome")).toContainText(/Linked [1-9]\d*;/, { timeout: 60_000 });

  // 5. A project's Jira project and repositories, linked in its dialog.
  await page.goto(`${base}/projects/PLAT?link=jira`);
  let linkDialog = page.getByRole("dialog");
  await expect(linkDialog.getByText("Looking for suggestions upstream…")).toHaveCount(0, { timeout: 30_000 });
  await linkDialog.getByTestId("candidate").filter({ hasText: "PLAT - Platform" }).getByRole("checkbox").check();
  await linkDialog.getByRole("button", { name: "Confirm Links" }).click();
  await expect(page.getByTestId("jira-links")).toContainText("PLAT", { timeout: 20_000 });
  await page.goto(`${base}/projects/PLAT?link=repository`);
  linkDialog = page.getByRole("dialog");
  await expect(linkDialog.getByText("Looking for suggestions upstream…")).toHaveCount(0, { timeout: 30_000 });
  await linkDialog.getByTestId("candidate").filter({ hasText: "platform-api" }).first().getByRole("checkbox").check();
  await linkDialog.getByRole("button", { name: "Confirm Links" }).click();
  await expect(page.getByTestId("repository-links")).toContainText("platform-api", { timeout: 20_000 });

  // 6. A sync through those links, and what it brought in on the project page.
  const runNow = page.getByTestId("run-now");
  await expect(runNow).toHaveAttribute("data-hydrated", "true");
  await runNow.getByRole("button", { name: "Run now: sync PLAT" }).click();
  await expect(runNow.getByTestId("sync-progress")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await page.reload();
  const synced = page.getByRole("region", { name: "Recently synced" });
  await expect(synced).toContainText(/PLAT-\d+/);
  await expect(synced.getByText("Nothing synced yet.")).toHaveCount(0);
  await page.screenshot({ path: `${shots}/first-run-synced.png`, fullPage: true });
});
