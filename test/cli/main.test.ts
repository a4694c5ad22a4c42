import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { createStore } from "../../src/store/create-store.js";
import type { AuditEntry } from "../../src/store/port.js";
import { silentLogger } from "../support/store-fixtures.js";
import { createCliHarness } from "./cli-harness.js";

const cli = createCliHarness("wa-slack-cli-");
afterAll(() => cli.cleanup());
const { run, newApiKey, newEncryptionKey, workspaceFolder } = cli;
const masked = (key: string) => `wa_…${key.slice(-4)}`;

describe("wa-slack CLI", () => {
  describe("help and usage", () => {
    it.each([
      [["--help"], "Usage: wa-slack <command>"],
      [["-h"], "Usage: wa-slack <command>"],
      [["workspace", "--help"], "Usage: wa-slack workspace <set|show|list|remove>"],
      [["workspace", "set", "--help"], "workspace set <team_id>"],
      [["workspace", "show", "-h"], "Usage: wa-slack workspace show"],
      [["workspace", "list", "--help"], "Usage: wa-slack workspace list"],
      [["workspace", "remove", "--help"], "Usage: wa-slack workspace remove"],
      [["reseal", "--help"], "Usage: wa-slack reseal"],
      [["audit", "--help"], "Usage: wa-slack audit"],
      [["keygen", "-h"], "Usage: wa-slack keygen"],
      [["events", "--help"], "Usage: wa-slack events <webhook|realtime|show|off>"],
      [
        ["events", "webhook", "--help"],
        'Usage: echo "$MANAGE_KEY" | wa-slack events webhook <team_id> --url',
      ],
      [["events", "realtime", "-h"], "Usage: wa-slack events realtime <team_id>"],
      [["events", "show", "--help"], "Usage: wa-slack events show <team_id> [--json]"],
      [["events", "off", "--help"], "Usage: wa-slack events off <team_id>"],
      [["link", "--help"], "Usage: wa-slack link <add|list|remove>"],
      [["link", "add", "--help"], "Usage: wa-slack link add <team_id> --channel <channel id> --chat <jid>"],
      [["link", "list", "-h"], "Usage: wa-slack link list <team_id> [--json]"],
      [["link", "remove", "--help"], "Usage: wa-slack link remove <team_id> --channel <channel id>"],
    ])("when run with %j, then its usage goes to stdout and it exits 0", async (argv, usage) => {
      const result = await run(argv, { cwd: cli.folderPath, env: {} });
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout).toContain(usage);
    });

    it.each([
      [[], /Missing command/],
      [["frobnicate"], /Unknown command "frobnicate"/],
      [["workspace"], /Missing workspace subcommand/],
      [["workspace", "rename"], /Unknown workspace subcommand/],
      [["workspace", "list", "--bogus"], /Unknown option '--bogus'/],
      [["workspace", "show"], /Missing <team_id>/],
      [["workspace", "show", "T0AAA", "extra"], /Unexpected argument "extra"/],
      [["workspace", "show", "not-a-team"], /not a Slack team id/],
      [
        ["workspace", "set", "T0AAA", "--visibility", "loud"],
        /Choose where confirmations go: "ephemeral" \(only the person who acted\) or "channel"/,
      ],
      [["audit", "T0AAA", "--limit", "0"], /--limit must be/],
      [["audit", "T0AAA", "--since", "yesterday"], /--since "yesterday"/],
      [["events"], /Missing events subcommand/],
      [["events", "restart", "T0AAA"], /Unknown events subcommand "restart"/],
      [["events", "show"], /Missing <team_id>/],
      [["link"], /Missing link subcommand/],
      [["link", "move", "T0AAA"], /Unknown link subcommand "move"/],
      [["link", "list", "not-a-team"], /not a Slack team id/],
    ])("when run with %j, then it explains on stderr with the usage and exits 2", async (argv, message) => {
      const result = await run(argv, workspaceFolder());
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain("Usage: ");
    });

    it("when run with --help, then every command and exit code 4 are listed", async () => {
      const { stdout } = await run(["--help"], { cwd: cli.folderPath, env: {} });
      for (const command of [
        "workspace set",
        "events webhook",
        "events realtime",
        "events show",
        "events off",
        "link add",
        "link list",
        "link remove",
        "audit",
        "reseal",
        "keygen",
      ]) {
        expect(stdout).toContain(`  ${command} `);
      }
      expect(stdout).toMatch(/4 the gateway or Slack refused/);
    });

    it("when the key is given as an argument, then it is refused without being echoed", async () => {
      const key = newApiKey();
      const result = await run(["workspace", "set", "T0AAA", key], workspaceFolder());
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/standard input only/);
    });
  });

  describe("configuration", () => {
    it("when APP_ENCRYPTION_KEY is missing, then it says to run keygen and put the key in .env, exit 2", async () => {
      const result = await run(["workspace", "list"], { cwd: cli.folderPath, env: {} });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("APP_ENCRYPTION_KEY is required");
      expect(result.stderr).toContain("npx wa-slack keygen");
      expect(result.stderr).toContain(".env");
    });

    it("when the settings are in .env in the working folder, then they are used", async () => {
      const { cwd, env } = workspaceFolder();
      const key = newApiKey();
      await run(["workspace", "list"], { cwd, env }); // creates the folder
      writeFileSync(
        join(cwd, ".env"),
        `DATABASE_URL=${env.DATABASE_URL}\nAPP_ENCRYPTION_KEY=${env.APP_ENCRYPTION_KEY}\n`,
      );
      expect((await run(["workspace", "set", "T0ENV"], { cwd, env: {} }, { stdin: key })).code).toBe(0);
      expect((await run(["workspace", "show", "T0ENV"], { cwd, env })).stdout).toContain(masked(key));
    });

    it("when PostgreSQL does not answer, then it says so without the password and exits 3", async () => {
      const { cwd, env } = workspaceFolder();
      const result = await run(["workspace", "list"], {
        cwd,
        env: { ...env, DATABASE_URL: "postgres://wa:hunter2-password@127.0.0.1:1/wa" },
      });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain("127.0.0.1:1");
      expect(result.stderr).not.toContain("hunter2-password");
    });

    it("when the SQLite file cannot be created, then it exits 3", async () => {
      const { cwd, env } = workspaceFolder();
      const blocker = join(cli.folderPath, "blocker");
      writeFileSync(blocker, "x");
      const result = await run(["workspace", "list"], {
        cwd,
        env: { ...env, DATABASE_URL: `sqlite:${blocker}/db` },
      });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/cannot be used/);
    });
  });

  describe("workspace set, show, list, remove", () => {
    it("when a key is piped to set, then show displays it masked with session, visibility and author", async () => {
      const ctx = workspaceFolder();
      const key = newApiKey();
      const set = await run(
        ["workspace", "set", "T0AAA", "--session", "01HZXSESSION", "--visibility", "channel"],
        ctx,
        { stdin: `${key}\n` },
      );
      expect(set.code).toBe(0);
      expect(set.stdout).toContain(`Saved workspace T0AAA: API key ${masked(key)}`);

      const show = await run(["workspace", "show", "T0AAA"], ctx);
      expect(show.code).toBe(0);
      expect(show.stdout).toContain(`API key:     ${masked(key)}`);
      expect(show.stdout).toContain("Session:     01HZXSESSION");
      expect(show.stdout).toMatch(/Visibility: {2}channel/);
      expect(show.stdout).toMatch(/Changed by: {2}cli at \d{4}-\d{2}-\d{2}T/);

      const json = JSON.parse((await run(["workspace", "show", "T0AAA", "--json"], ctx)).stdout);
      expect(json).toMatchObject({
        workspaceId: "T0AAA",
        maskedKey: masked(key),
        defaultSessionId: "01HZXSESSION",
        visibility: "channel",
        updatedBy: "cli",
      });
      expect(json).not.toHaveProperty("apiKey");
    });

    it("when set gets no key but new settings for an existing workspace, then only those change", async () => {
      const ctx = workspaceFolder();
      const key = newApiKey();
      await run(["workspace", "set", "T0AAA", "--session", "S1"], ctx, { stdin: key });
      const update = await run(
        ["workspace", "set", "T0AAA", "--session", "S2", "--visibility", "channel"],
        ctx,
      );
      expect(update.code).toBe(0);
      const json = JSON.parse((await run(["workspace", "show", "T0AAA", "--json"], ctx)).stdout);
      expect(json).toMatchObject({ maskedKey: masked(key), defaultSessionId: "S2", visibility: "channel" });
    });

    it("when set gets no key for a workspace that has none, then it says a key is needed and exits 1", async () => {
      const result = await run(["workspace", "set", "T0NEW", "--session", "S1"], workspaceFolder());
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/not configured yet.*API key/s);
    });

    it("when set gets neither a key nor settings, then it exits 2 saying how to pipe the key", async () => {
      const result = await run(["workspace", "set", "T0AAA"], workspaceFolder());
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('echo "$KEY" | npx wa-slack workspace set T0AAA');
    });

    it("when the piped key is malformed, then it is refused without repeating it, exit 2", async () => {
      const bad = `wa_live_${"9".repeat(12)} and more`;
      cli.secret(bad.slice(0, 20));
      const result = await run(["workspace", "set", "T0AAA"], workspaceFolder(), { stdin: bad });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/spaces/);
    });

    it("when stdin is a terminal, then it prompts on stderr and reads the key hidden", async () => {
      const ctx = workspaceFolder();
      const key = newApiKey();
      const stdin = new PassThrough();
      const pending = run(["workspace", "set", "T0TTY"], ctx, { stdin, tty: true });
      setTimeout(() => stdin.write(`${key}\r`), 10);
      const result = await pending;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain("Gateway API key for T0TTY");
      expect((await run(["workspace", "show", "T0TTY"], ctx)).stdout).toContain(masked(key));
    });

    it("when Ctrl-C is pressed at the prompt, then nothing is saved and it exits 130", async () => {
      const ctx = workspaceFolder();
      const stdin = new PassThrough();
      const pending = run(["workspace", "set", "T0TTY"], ctx, { stdin, tty: true });
      setTimeout(() => stdin.write("wa_par\u0003"), 10);
      expect((await pending).code).toBe(130);
      expect((await run(["workspace", "show", "T0TTY"], ctx)).code).toBe(1);
    });

    it("when workspaces are listed, then each shows with its masked key, as text and as JSON", async () => {
      const ctx = workspaceFolder();
      expect((await run(["workspace", "list"], ctx)).stdout).toContain("No workspaces are configured yet.");
      const a = newApiKey();
      const b = newApiKey();
      await run(["workspace", "set", "T0BBB"], ctx, { stdin: b });
      await run(["workspace", "set", "E0ORG", "--visibility", "channel"], ctx, { stdin: a });
      const text = await run(["workspace", "list"], ctx);
      expect(text.code).toBe(0);
      const lines = text.stdout.trim().split("\n");
      expect(lines[0]).toMatch(/^TEAM\s+API KEY\s+SESSION\s+VISIBILITY/);
      expect(lines[1]).toMatch(new RegExp(`^E0ORG\\s+${masked(a)}\\s+-\\s+channel`));
      expect(lines[2]).toMatch(new RegExp(`^T0BBB\\s+${masked(b)}\\s+-\\s+ephemeral`));
      const json = JSON.parse((await run(["workspace", "list", "--json"], ctx)).stdout);
      expect(
        json.map((w: { workspaceId: string; maskedKey: string }) => [w.workspaceId, w.maskedKey]),
      ).toEqual([
        ["E0ORG", masked(a)],
        ["T0BBB", masked(b)],
      ]);
    });

    it("when a workspace is removed, then show and remove report it missing with exit 1", async () => {
      const ctx = workspaceFolder();
      await run(["workspace", "set", "T0AAA"], ctx, { stdin: newApiKey() });
      const removed = await run(["workspace", "remove", "T0AAA"], ctx);
      expect(removed).toMatchObject({ code: 0, stdout: "Removed workspace T0AAA.\n" });
      const show = await run(["workspace", "show", "T0AAA"], ctx);
      expect(show.code).toBe(1);
      expect(show.stderr).toContain("Workspace T0AAA is not configured.");
      expect((await run(["workspace", "remove", "T0AAA"], ctx)).code).toBe(1);
    });
  });

  describe("reseal", () => {
    it("when the key was rotated, then show fails until reseal, and after it the old key is not needed", async () => {
      const ctx = workspaceFolder();
      const oldKey = ctx.env.APP_ENCRYPTION_KEY as string;
      const apiKey = newApiKey();
      await run(["workspace", "set", "T0AAA"], ctx, { stdin: apiKey });
      const newKey = newEncryptionKey();

      const newOnly = { cwd: ctx.cwd, env: { ...ctx.env, APP_ENCRYPTION_KEY: newKey } };
      const refused = await run(["workspace", "show", "T0AAA"], newOnly);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/encryption key does not match/);
      expect(refused.stderr).toContain("APP_ENCRYPTION_KEY_PREVIOUS");

      const rotating = { cwd: ctx.cwd, env: { ...newOnly.env, APP_ENCRYPTION_KEY_PREVIOUS: oldKey } };
      const resealed = await run(["reseal"], rotating);
      expect(resealed).toMatchObject({ code: 0 });
      expect(resealed.stdout).toContain("Re-sealed 1 workspace API key(s) and 0 Slack installation(s)");
      expect((await run(["reseal"], rotating)).stdout).toContain("Everything already was.");

      const show = await run(["workspace", "show", "T0AAA"], newOnly);
      expect(show.code).toBe(0);
      expect(show.stdout).toContain(masked(apiKey));
    });
  });

  describe("audit", () => {
    async function seedAudit(ctx: { cwd: string; env: Record<string, string | undefined> }) {
      const store = await createStore(ctx.env.DATABASE_URL as string, silentLogger(), { cwd: ctx.cwd });
      const now = Date.now();
      const base: AuditEntry = {
        workspaceId: "T0AAA",
        userId: "U0USER",
        operation: "react",
        sessionId: "S1",
        chat: "120363@g.us",
        messageId: "M-old",
        emoji: "👍",
        outcome: { ok: true, status: "sent" },
        at: new Date(now - 3 * 86_400_000),
      };
      await store.appendAudit(base);
      await store.appendAudit({
        ...base,
        operation: "vote",
        emoji: undefined,
        options: ["Pizza", "Sushi"],
        messageId: "M-vote",
        at: new Date(now - 2 * 3_600_000),
      });
      await store.appendAudit({
        ...base,
        operation: "unreact",
        emoji: undefined,
        messageId: "M-new",
        outcome: { ok: false, errorCode: "not_found" },
        at: new Date(now - 60_000),
      });
      await store.appendAudit({ ...base, workspaceId: "T0OTHER", messageId: "M-theirs", at: new Date(now) });
      await store.close();
    }

    it("when audit is run, then the workspace's entries show newest first with their outcome", async () => {
      const ctx = workspaceFolder();
      await seedAudit(ctx);
      const result = await run(["audit", "T0AAA"], ctx);
      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split("\n");
      expect(lines).toHaveLength(4);
      expect(lines[1]).toMatch(/unreact.*M-new.*failed \(not_found\)/);
      expect(lines[2]).toMatch(/vote "Pizza", "Sushi".*M-vote.*ok \(sent\)/);
      expect(lines[3]).toMatch(/react 👍.*M-old/);
      expect(result.stdout).not.toContain("M-theirs");
    });

    it("when --since and --limit are given, then only matching entries come back, as JSON with --json", async () => {
      const ctx = workspaceFolder();
      await seedAudit(ctx);
      const recent = JSON.parse((await run(["audit", "T0AAA", "--since", "24h", "--json"], ctx)).stdout);
      expect(recent.map((r: { messageId: string }) => r.messageId)).toEqual(["M-new", "M-vote"]);
      expect(recent[1]).toMatchObject({
        operation: "vote",
        options: ["Pizza", "Sushi"],
        outcome: { ok: true },
      });
      const one = JSON.parse((await run(["audit", "T0AAA", "--limit", "1", "--json"], ctx)).stdout);
      expect(one.map((r: { messageId: string }) => r.messageId)).toEqual(["M-new"]);
      const since = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
      const all = JSON.parse((await run(["audit", "T0AAA", "--since", since, "--json"], ctx)).stdout);
      expect(all).toHaveLength(3);
    });

    it("when the workspace has no entries, then it says so", async () => {
      const result = await run(["audit", "T0NONE"], workspaceFolder());
      expect(result).toMatchObject({ code: 0, stdout: "No audit entries.\n" });
    });
  });

  describe("keygen", () => {
    it("when keygen is run, then stdout holds only a fresh 32-byte base64url key, and advice goes to stderr", async () => {
      const first = await run(["keygen"], { cwd: cli.folderPath, env: {} });
      const second = await run(["keygen"], { cwd: cli.folderPath, env: {} });
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
      expect(Buffer.from(first.stdout.trim(), "base64url")).toHaveLength(32);
      expect(first.stdout).not.toBe(second.stdout);
      expect(first.stderr).toContain("APP_ENCRYPTION_KEY=");
    });
  });
});
