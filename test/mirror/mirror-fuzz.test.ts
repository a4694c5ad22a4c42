// Random gateway events through the real app: message payloads with any of the fields the gateway's flat
// payload may carry (and some it never would), delivered as signed webhooks. Every delivery is answered
// 2xx or 400, nothing crashes, no event is set aside as unpostable, whatever reaches Slack holds no
// mention, broadcast or link made from WhatsApp text, and a normal message is still mirrored afterwards.
import fc from "fast-check";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUlidFactory } from "../../src/mirror/ulid.js";
import { EXAMPLE_GROUP_JID, newMessageId, textMessage } from "../../src/sandbox/gateway/event-payloads.js";
import { signWebhookBody } from "../../src/sandbox/gateway/events.js";
import { type Harness, SESSION, startHarness, TEAM } from "../support/app-harness.js";
import {
  linkChat,
  MANAGE_KEY,
  MIRROR_CHANNEL,
  ORG,
  useWebhook,
  whatsapp,
} from "../support/mirror-helpers.js";
import { mirrored, mirroredIn } from "../support/mirror-observe.js";
import { eventually, readyz, watchUnhandled } from "../support/reliability-app.js";
import { expectNoSecretsLeaked, harnessSecrets } from "../support/reliability-secrets.js";

const GROUP = EXAMPLE_GROUP_JID;
const DIRECT = "6281298765432@s.whatsapp.net";
const LID_CHAT = "205227043110953@lid";

let h: Harness;
let unhandled: ReturnType<typeof watchUnhandled>;

beforeAll(async () => {
  unhandled = watchUnhandled();
  h = await startHarness({ logLevel: "info", tuning: { mirror: { pace: { intervalMs: 1, burst: 50 } } } });
  await h.configure(TEAM);
  h.slack.addChannel(MIRROR_CHANNEL);
  await useWebhook(h);
  for (const chat of [GROUP, DIRECT, LID_CHAT]) await linkChat(h, chat);
});
afterAll(async () => {
  unhandled.stop();
  expectNoSecretsLeaked(h, harnessSecrets({ extra: [MANAGE_KEY] }));
  await h.close();
});

// ---- what a payload may hold ----

/** Text meant to make Slack do something: mentions, broadcasts, links, entities, formatting, broken UTF-16. */
const HOSTILE = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<!subteam^S0123ABC>",
  "<@U0ADMIN01>",
  "<@W0ADMIN01|boss>",
  "<#C0123456789|general>",
  "<https://evil.example|bank.com>",
  "<http://x.example>",
  "<mailto:a@b.example|mail me>",
  "<",
  ">",
  "|",
  "&",
  "&lt;",
  "&amp;lt;!channel&amp;gt;",
  "@channel",
  "@here",
  "@6281234567890",
  "https://example.com/a?b=c&d=<e>",
  "```",
  "*",
  "_",
  "~",
  "`",
  "\n",
  "\r\n",
  " ",
  "\t",
  "\u0000",
  "\u202e",
  "\ud83d",
  "\ude00",
  "👍🏽",
  "👨‍👩‍👧‍👦",
];

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);

const shortText = fc
  .array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...HOSTILE), hex64), { maxLength: 8 })
  .map((parts) => parts.join(""));

/** 20,000 to 60,000 characters: a short text repeated. */
const hugeText = fc.tuple(shortText, fc.integer({ min: 20_000, max: 60_000 })).map(([text, length]) => {
  const unit = text === "" ? "x" : text;
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
});

const anyText = fc.oneof({ weight: 4, arbitrary: shortText }, { weight: 1, arbitrary: hugeText });

const jid = fc.oneof(
  fc.constantFrom(
    GROUP,
    DIRECT,
    LID_CHAT,
    "120363000000000001@g.us",
    "status@broadcast",
    "1234567890@broadcast",
    "120363999999999999@newsletter",
    "6281234567890:12@s.whatsapp.net",
    "@g.us",
    "x@y@z",
    "",
  ),
  shortText,
);

/** The chat: mostly a linked one, so most events reach the processor and Slack. */
const chatJid = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(GROUP, DIRECT, LID_CHAT) },
  { weight: 2, arbitrary: jid },
);

/** A few ids used again and again: messages are redelivered, and edited, revoked, reacted to and voted on. */
const KNOWN_IDS = Array.from({ length: 8 }, (_, i) => `3EB0F0220000000000${String(i).padStart(2, "0")}`);

const messageId = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KNOWN_IDS) },
  { weight: 2, arbitrary: fc.constant("").map(() => newMessageId()) },
  { weight: 1, arbitrary: fc.constantFrom("", "3EB0C431C26A1916E07A") },
  { weight: 1, arbitrary: shortText },
);

const MESSAGE_TYPES = [
  "text",
  "image",
  "video",
  "audio",
  "document",
  "sticker",
  "location",
  "contact",
  "poll",
  "reaction",
  "revoke",
  "poll_vote",
];

const flatFields = fc.record(
  {
    waMessageId: messageId,
    chatJid,
    senderJid: jid,
    senderLid: jid,
    fromMe: fc.boolean(),
    type: fc.oneof(
      { weight: 3, arbitrary: fc.constant("text") },
      { weight: 3, arbitrary: fc.constantFrom(...MESSAGE_TYPES) },
      { weight: 1, arbitrary: shortText },
    ),
    body: anyText,
    quotedMessageId: messageId,
    quotedSenderJid: jid,
    quotedSenderLid: jid,
    quotedBody: anyText,
    quotedFromMe: fc.boolean(),
    mentions: fc.dictionary(jid, fc.record({ pushName: shortText, tag: shortText }, { requiredKeys: [] }), {
      maxKeys: 4,
    }),
    hasMedia: fc.boolean(),
    media: fc.constant(null),
    timestamp: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 2 ** 47 }) },
      { weight: 1, arbitrary: fc.constantFrom(-1, 0, Number.MAX_SAFE_INTEGER, 8_640_000_000_000_001) },
    ),
    pushName: shortText,
    reaction: fc.oneof(fc.constantFrom("👍", "❤", "❤️", "👍🏽", ""), shortText),
    targetId: messageId,
    selectedOptions: fc.array(fc.oneof(hex64, shortText), { maxLength: 4 }),
  },
  { requiredKeys: ["waMessageId", "chatJid"] },
);

/** A location, a contact card or a poll now and then (together, even), a plain message more often. */
const specialFields = fc.record(
  {
    location: fc.record(
      {
        latitude: fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.constantFrom(-6.2, 91, -181),
        ),
        longitude: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(106.8, 181)),
        name: shortText,
        address: shortText,
      },
      { requiredKeys: ["latitude", "longitude"] },
    ),
    contact: fc.record(
      {
        displayName: shortText,
        vcard: fc.oneof(
          shortText,
          fc
            .tuple(shortText, shortText)
            .map(([name, tel]) => `BEGIN:VCARD\nVERSION:3.0\nFN:${name}\nTEL;type=CELL:${tel}\nEND:VCARD`),
        ),
      },
      { requiredKeys: [] },
    ),
    poll: fc.record(
      {
        name: anyText,
        options: fc.array(fc.oneof(shortText, hex64), { maxLength: 16 }),
        selectableCount: fc.integer({ min: 0, max: 20 }),
        endTime: fc.integer({ min: 0, max: 2 ** 45 }),
        hideVotes: fc.boolean(),
      },
      { requiredKeys: ["name", "selectableCount"] },
    ),
  },
  { requiredKeys: [] },
);

const flatPayload = fc
  .tuple(
    flatFields,
    fc.oneof({ weight: 2, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: specialFields }),
  )
  .map(([fields, special]) => ({ ...fields, ...special }));

/** Now and then one field of a type the gateway never sends: the app must answer 400, not fail. */
const payload = fc.oneof(
  { weight: 8, arbitrary: flatPayload },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        flatPayload,
        fc.constantFrom("body", "chatJid", "timestamp", "poll", "mentions", "fromMe"),
        fc.jsonValue(),
      )
      .map(([p, key, junk]) => ({ ...p, [key]: junk })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(flatPayload, fc.constantFrom("waMessageId", "chatJid", "targetId"))
      .map(([p, key]) => Object.fromEntries(Object.entries(p).filter(([k]) => k !== key))),
  },
);

const event = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("message", "message.from_me") },
  {
    weight: 3,
    arbitrary: fc.constantFrom("message.edited", "message.revoked", "message.reaction", "poll.vote"),
  },
);

// ---- delivering ----

const ulid = createUlidFactory();
/** A failure found after the property itself (a chat left stuck, say) is reproduced with FUZZ_SEED=<seed>. */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

function secret(): string {
  const webhook = h.gateway.webhooks.find((w) => w.url.endsWith(`/gateway/events/${TEAM}`));
  if (!webhook?.secret) throw new Error("no webhook registered");
  return webhook.secret;
}

async function deliver(event: string, body: unknown): Promise<number> {
  const text = JSON.stringify({
    schema: "v1",
    id: `evt_${ulid()}`,
    event,
    session: SESSION,
    organization: ORG,
    timestamp: Date.now(),
    payload: body,
  });
  const res = await request(`${h.appUrl}/gateway/events/${TEAM}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-webhook-hmac": signWebhookBody(secret(), text),
      "x-webhook-hmac-algorithm": "sha512",
    },
    body: text,
  });
  await res.body.dump();
  return res.statusCode;
}

// ---- what a channel member may see ----

/** The only Slack markup the app writes itself: a date, and a map link made of two numbers. */
const OWN_MARKUP = [
  /<!date\^-?\d+\^\{date_short_pretty\} \{time\}\|[^<>]*>/g,
  /<https:\/\/www\.google\.com\/maps\?q=-?[\d.e-]+,-?[\d.e-]+\|Open in Google Maps>/g,
];

/** Every text Slack would show of a posted message: `text` and each `text` inside its blocks. */
function shownTexts(message: { text?: string; blocks?: unknown[] }): string[] {
  const texts: string[] = [message.text ?? ""];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) for (const item of value) walk(item);
    else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (key === "text" && typeof item === "string") texts.push(item);
        else walk(item);
      }
    }
  };
  walk(message.blocks ?? []);
  return texts;
}

function markupFromWhatsApp(text: string): string | undefined {
  let rest = text;
  for (const own of OWN_MARKUP) rest = rest.replace(own, "");
  const found = /<[^>]*>?/.exec(rest);
  return found?.[0];
}

describe("random gateway events through the real app", () => {
  it("when any message payload arrives by webhook, then it is answered 2xx or 400, nothing crashes, and nothing posted carries a mention, broadcast or link from WhatsApp", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(event, payload, async (name, body) => {
        const status = await deliver(name, body);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect([200, 400]).toContain(status);
      }),
      { numRuns: 400, seed: SEED },
    );
    // The generators reach both answers, and Slack.
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);

    await reproducibleWith(SEED, afterTheEvents);
  }, 60_000);
});

/** Rethrows a failure with the seed that reproduces it and the app's last complaint about a chat. */
async function reproducibleWith(seed: number, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The webhook's 400s are the point of the test; a chat's retries or parked events are not.
    const complaint = h.logs.findLast(
      (line) => /"level":[45]0/.test(line) && !line.includes('"component":"webhook"'),
    );
    throw new Error(
      `${message}\n(reproduce with FUZZ_SEED=${seed}; last complaint: ${(complaint ?? "none").slice(0, 600)})`,
      { cause: error },
    );
  }
}

/** What must hold once every random event was delivered. */
async function afterTheEvents(): Promise<void> {
  // Events are worked through in order per chat: once this one is in, the chat's earlier ones are done.
  const waId = newMessageId();
  whatsapp(h, textMessage({ waMessageId: waId, chatJid: GROUP, body: "still mirroring" }));
  const last = await mirrored(h, waId, { timeoutMs: 15_000 });
  expect(last.username).toBe("Alice");
  await eventually(
    async () => (await h.services.store.inboxCounts(TEAM)).pending === 0,
    "the inbox is drained",
  );
  // Nothing the renderers made was refused by Slack, and nothing failed until it was set aside.
  expect((await h.services.store.inboxCounts(TEAM)).parked).toBe(0);

  const posted = mirroredIn(h);
  expect(posted.length).toBeGreaterThan(5);
  for (const message of posted) {
    for (const text of shownTexts(message)) {
      expect(markupFromWhatsApp(text), JSON.stringify(text).slice(0, 300)).toBeUndefined();
    }
    expect((message.username ?? "").length).toBeLessThanOrEqual(80);
  }
  expect(await readyz(h.appUrl)).toBe(200);
  expect(unhandled.seen).toEqual([]);
}
