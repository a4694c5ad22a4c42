import { type MirrorContent, mirrorContentSchema } from "../render/content.js";

/** The content a mirrored message was rendered from, as the map stored it; undefined when unreadable. */
export function readContent(json: string): MirrorContent | undefined {
  try {
    const parsed = mirrorContentSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
