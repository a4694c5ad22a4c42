// The mirror's poster against the fake Slack Web API, through the real Slack client: what it does with a
// message the client cannot even encode, and that a closed poster (the app stopping) posts nothing more.
import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createChannelPacer } from "../../src/mirror/post/channel-pacer.js";
import {
  type ClosableSlackPoster,
  createSlackPoster,
  PostFailure,
} from "../../src/mirror/post/slack-poster.js";
import type { MirroredSlackMessage } from "../../src/mirror/render/render-message.js";
import { type SlackStandIn, startSlackStandIn } from "../../src/sandbox/slack/web-api.js";

const TOKEN = "xoxb-poster-test-0001";
const CHANNEL = "CPOSTER0001";
const to = { workspaceId: "T0000000001", channelId: CHANNEL };

let slack: SlackStandIn;

beforeAll(async () => {
  slack = await startSlackStandIn();
  slack.addChannel(CHANNEL);
});
afterAll(async () => {
  await slack.close();
});

function poster(): ClosableSlackPoster {
  return createSlackPoster({
    botTokenFor: async () => TOKEN,
    clientFor: (token) =>
      new webApi.WebClient(token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
    pacer: createChannelPacer({ intervalMs: 1, burst: 10 }),
    logger: createLogger({ level: "silent" }),
  });
}

function message(username: string): MirroredSlackMessage {
  return {
    text: "Alice: hello",
    blocks: [{ type: "section", text: { type: "mrkdwn", text: "hello" } }],
    username,
    metadata: {
      event_type: "whatsapp_message",
      event_payload: { session_id: "s", chat: "1@g.us", message_id: "M1", sender: "" },
    },
  } as MirroredSlackMessage;
}

async function failureOf(work: Promise<unknown>): Promise<PostFailure> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PostFailure);
  return error as PostFailure;
}

describe("the mirror's Slack poster", () => {
  it("when a field holds half an emoji the client cannot encode, then the post is refused for good, not retried", async () => {
    const calls = slack.callsTo("chat.postMessage").length;
    const failure = await failureOf(poster().post(to, message("Alice \ud83d"), null));
    expect(failure.kind).toBe("rejected");
    expect(slack.callsTo("chat.postMessage")).toHaveLength(calls);
  });

  it("when the poster is closed, then nothing more is posted or changed, and a removal still goes", async () => {
    const open = poster();
    const ts = await open.post(to, message("Alice"), null);
    const second = await open.post(to, message("Alice"), null);
    const calls = slack.calls.length;

    open.close();
    expect((await failureOf(open.post(to, message("Alice"), null))).kind).toBe("retry_later");
    expect((await failureOf(open.update(to, ts, message("Alice")))).kind).toBe("retry_later");
    expect((await failureOf(open.addReaction(to, ts, "thumbsup"))).kind).toBe("retry_later");
    expect(slack.calls).toHaveLength(calls);

    await open.remove(to, second);
    expect(slack.messagesIn(CHANNEL).map((m) => m.ts)).toEqual([ts]);
  });
});
