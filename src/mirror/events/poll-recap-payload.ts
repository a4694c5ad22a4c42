// The payload of `poll.recap`, sent only for polls with an end time once they close.
import { z } from "zod";

export const pollRecapPayloadSchema = z.object({
  pollMessageId: z.string().nullish(),
  chatJid: z.string().nullish(),
  name: z.string().nullish(),
  options: z.array(z.object({ option: z.string(), count: z.number().int() })).nullish(),
  selectableCount: z.number().int().min(0).nullish(),
  endTime: z.number().int().nullish(),
  hideVotes: z.boolean().nullish(),
  totalVotes: z.number().int().nullish(),
  /** Left out when the poll hides its voters. */
  voters: z
    .array(
      z.object({
        voterId: z.string().nullish(),
        displayName: z.string().nullish(),
        selectedOptions: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
});

export type PollRecapPayload = z.infer<typeof pollRecapPayloadSchema>;
