// Who and what the sandbox starts with: one Slack workspace with its admin at the page, a company's
// WhatsApp account with a few customers and colleagues in three groups, two of them linked to channels,
// and a short history (a question, a reply, a poll) so the page shows the mirror at work at once.

export const TEAM = { id: "T0SANDBOX1", name: "Acme" } as const;
/** The Slack user at the page: a workspace admin, so `/wa link` and `/wa config` are theirs to use. */
export const ME = { id: "U0SANDBOX1", name: "You" } as const;
export const APP_NAME = "WhatsApp";

/** The gateway's organization, session and keys: one key the workspace stores, one `manage` key used once. */
export const ORG = "org_sandbox";
export const SESSION = "sess_sandbox";
export const SEND_KEY = "wa_sandbox_send_key_0001";
export const MANAGE_KEY = "wa_sandbox_manage_key_0001";

export const ACCOUNT = { jid: "351910000000@s.whatsapp.net", name: "Acme Support" } as const;

export const PEOPLE = {
  maria: { jid: "351912345678@s.whatsapp.net", name: "Maria Santos" },
  tom: { jid: "447700900123@s.whatsapp.net", name: "Tom Becker" },
  priya: { jid: "919812345678@s.whatsapp.net", name: "Priya Nair" },
  joao: { jid: "351913456789@s.whatsapp.net", name: "João Costa" },
} as const;

export interface SeedChat {
  jid: string;
  name: string;
  members: readonly { jid: string; name: string }[];
  /** The Slack channel it is linked to at start, if any. */
  channel?: { id: string; name: string; reactions: boolean };
}

export const CHATS = {
  bakery: {
    jid: "120363040000000001@g.us",
    name: "Lisbon Bakery × Acme",
    members: [PEOPLE.maria, PEOPLE.joao],
    channel: { id: "C0BAKERY01", name: "wa-lisbon-bakery", reactions: true },
  },
  drivers: {
    jid: "120363040000000002@g.us",
    name: "Delivery drivers",
    members: [PEOPLE.tom, PEOPLE.priya],
    channel: { id: "C0DRIVERS1", name: "wa-drivers", reactions: false },
  },
  lunch: {
    jid: "120363040000000003@g.us",
    name: "Team lunch",
    members: [PEOPLE.priya, PEOPLE.tom, PEOPLE.joao],
  },
} as const satisfies Record<string, SeedChat>;

/** A channel that mirrors nothing yet: where a newcomer tries `/wa link`. */
export const GENERAL = { id: "C0GENERAL1", name: "general" } as const;

/** The history WhatsApp already has when the sandbox starts, oldest first, each mirrored as it arrives. */
export type SeedMessage =
  | { chat: SeedChat; from: { jid: string; name: string }; text: string; replyTo?: number }
  | {
      chat: SeedChat;
      from: { jid: string; name: string };
      poll: { question: string; options: string[]; selectableCount: 0 | 1 };
    };

export const HISTORY: readonly SeedMessage[] = [
  {
    chat: CHATS.bakery,
    from: PEOPLE.maria,
    text: "Bom dia! Could we move Thursday's delivery to *7:30* instead of 9? The ovens start early this week.",
  },
  {
    chat: CHATS.bakery,
    from: ACCOUNT,
    text: "Good morning Maria, let me check with the drivers.",
    replyTo: 0,
  },
  {
    chat: CHATS.drivers,
    from: PEOPLE.tom,
    text: "Van 2 is back from the garage ✅ new tyres, ready for tomorrow.",
  },
  {
    chat: CHATS.drivers,
    from: ACCOUNT,
    poll: {
      question: "Who can take the 7:30 bakery run on Thursday?",
      options: ["Tom", "Priya", "Neither, keep 9:00"],
      selectableCount: 1,
    },
  },
  { chat: CHATS.drivers, from: PEOPLE.priya, text: "I can, if someone covers my 10:00 in Belém." },
];
