// The sandbox's page in headless Chromium (Debian's, driven by playwright-core), clicked through as a
// newcomer would: a mirrored message is there, a reaction from the ⋯ menu reaches WhatsApp, votes move
// the tally both ways, and a mistake is answered where only the person sees it.
import { existsSync } from "node:fs";
import { Writable } from "node:stream";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/start-sandbox.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const required = process.env.CI === "true";
/** Long enough for a webhook delivery, the mirror's pace and a chat.update, short enough to fail clearly. */
const SEEN_WITHIN = { timeout: 10_000 };

if (!haveChromium) {
  console.warn(
    `[sandbox-browser] skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH); CI=true requires it`,
  );
}

describe.runIf(!haveChromium && required)("the sandbox in a browser, under CI", () => {
  it("has Chromium to run in", () => {
    expect.fail(`CI=true and no Chromium at ${CHROMIUM}: .ci/run installs Debian's chromium`);
  });
});

describe.runIf(haveChromium)("the sandbox in a browser", () => {
  let sandbox: RunningSandbox;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    sandbox = await startSandbox({ logger: createLogger({ level: "warn", destination: quiet }) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    await page.goto(sandbox.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  const slack = () => page.getByRole("region", { name: "Slack" });
  const whatsapp = () => page.getByRole("region", { name: "WhatsApp" });

  async function openChannel(name: string): Promise<void> {
    await slack()
      .getByRole("button", { name: `#${name}`, exact: true })
      .click();
  }

  async function openChat(name: string): Promise<void> {
    await whatsapp().getByRole("button", { name, exact: true }).first().click();
  }

  function slackMessage(author: string, text: string): Locator {
    return slack()
      .getByRole("article", { name: `Message from ${author}` })
      .filter({ hasText: text });
  }

  function whatsappMessage(author: string, text: string): Locator {
    return whatsapp()
      .getByRole("article", { name: `WhatsApp message from ${author}` })
      .filter({ hasText: text });
  }

  it("when the page opens, then the chat's WhatsApp message is in its Slack channel", async () => {
    await openChannel("wa-lisbon-bakery");
    await expect.poll(() => slackMessage("Maria Santos", "Thursday's delivery").count(), SEEN_WITHIN).toBe(1);
    await openChat("Lisbon Bakery × Acme");
    await expect
      .poll(() => whatsappMessage("Maria Santos", "Thursday's delivery").count(), SEEN_WITHIN)
      .toBe(1);
  });

  it("when the person reacts from the ⋯ menu, then the reaction shows on the WhatsApp side", async () => {
    await openChannel("wa-lisbon-bakery");
    const message = slackMessage("Maria Santos", "Thursday's delivery");
    await message.hover();
    await message.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "React on WhatsApp" }).click();
    const modal = page.getByRole("dialog", { name: "React on WhatsApp" });
    await modal.getByRole("textbox", { name: "Or any emoji" }).fill(":tada:");
    await modal.getByRole("button", { name: "React" }).click();
    await expect
      .poll(() => page.getByRole("dialog", { name: "WhatsApp reaction" }).count(), SEEN_WITHIN)
      .toBe(1);
    await page
      .getByRole("dialog", { name: "WhatsApp reaction" })
      .getByRole("button", { name: "Done" })
      .click();

    await openChat("Lisbon Bakery × Acme");
    await expect
      .poll(() => whatsappMessage("Maria Santos", "Thursday's delivery").textContent(), SEEN_WITHIN)
      .toContain("🎉");
  });

  it("when the person removes the reaction from the ⋯ menu, then it is gone on the WhatsApp side and they are told so", async () => {
    await openChannel("wa-lisbon-bakery");
    const message = slackMessage("Maria Santos", "Thursday's delivery");
    await message.hover();
    await message.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Remove WhatsApp reaction" }).click();
    await expect
      .poll(() => slack().getByRole("article").filter({ hasText: "Reaction removed" }).count(), SEEN_WITHIN)
      .toBe(1);
    await openChat("Lisbon Bakery × Acme");
    await expect
      .poll(() => whatsappMessage("Maria Santos", "Thursday's delivery").textContent(), SEEN_WITHIN)
      .not.toContain("🎉");
  });

  it("when someone votes on WhatsApp and the person votes in the Vote modal, then the tally moves on both sides", async () => {
    await openChat("Delivery drivers");
    await whatsapp().getByRole("combobox", { name: "Writing as" }).selectOption({ label: "Tom Becker" });
    const poll = whatsappMessage("Acme Support", "Who can take the 7:30 bakery run");
    await poll.hover();
    await poll.getByRole("button", { name: "Vote" }).click();
    const waVote = page.getByRole("dialog", { name: "Vote: Who can take the 7:30 bakery run on Thursday?" });
    await waVote.getByRole("radio", { name: "Tom" }).check();
    await waVote.getByRole("button", { name: "Vote" }).click();

    await openChannel("wa-drivers");
    const mirroredPoll = slackMessage("Acme Support", "Who can take the 7:30 bakery run");
    await expect.poll(() => mirroredPoll.textContent(), SEEN_WITHIN).toMatch(/Tom — 1 vote: Tom Becker/);

    await mirroredPoll.getByRole("button", { name: "Vote" }).click();
    const slackVote = page.getByRole("dialog", { name: "Vote in WhatsApp poll" });
    await slackVote.getByRole("radio", { name: "Priya" }).check();
    await slackVote.getByRole("button", { name: "Vote" }).click();
    const outcome = page.getByRole("dialog", { name: "WhatsApp poll" });
    await expect.poll(() => outcome.count(), SEEN_WITHIN).toBe(1);
    await outcome.getByRole("button", { name: "Done" }).click();
    await expect.poll(() => mirroredPoll.textContent(), SEEN_WITHIN).toMatch(/Priya — 1 vote/);

    await expect.poll(() => poll.textContent(), SEEN_WITHIN).toContain("Acme Support");
  });

  it("when the person types a /wa command that cannot work, then the error shows only to them, and they can dismiss it", async () => {
    await openChannel("general");
    const box = slack().getByRole("textbox", { name: "Message #general" });
    await box.fill("/wa react not-a-message-link :+1:");
    await box.press("Enter");
    const answer = slack().getByText("Only visible to you");
    await expect.poll(() => answer.count(), SEEN_WITHIN).toBe(1);
    await slack().getByRole("button", { name: "Dismiss" }).click();
    await expect.poll(() => answer.count(), SEEN_WITHIN).toBe(0);
  });

  it("when the page has been used, then it logged no error", () => {
    expect(pageErrors).toEqual([]);
  });
});
