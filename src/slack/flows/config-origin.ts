// The config modal remembers where it was opened from (channel and response_url of `/wa config`),
// so the confirmation after saving can go back there, visible only to the admin.
import { z } from "zod";

const OriginSchema = z.object({ c: z.string().optional(), r: z.string().optional() });
export type ConfigOrigin = { channelId?: string | undefined; responseUrl?: string | undefined };

export function encodeConfigOrigin(origin: ConfigOrigin): string {
  return JSON.stringify({ c: origin.channelId, r: origin.responseUrl });
}

export function decodeConfigOrigin(text: string | undefined): ConfigOrigin {
  try {
    const parsed = OriginSchema.safeParse(JSON.parse(text ?? "{}"));
    return parsed.success ? { channelId: parsed.data.c, responseUrl: parsed.data.r } : {};
  } catch {
    // Not our JSON (an older modal, say): no origin, the Home tab still shows the change.
    return {};
  }
}
