/**
 * The start of what a user typed, for quoting it back in an error: cut by code points (never in
 * half an emoji) and marked with "…" when shortened, so a pasted essay does not flood the reply.
 */
export function excerpt(text: string, max = 60): string {
  // Looking at a bounded prefix keeps this cheap however long the text is.
  const points = Array.from(text.slice(0, max * 2 + 2));
  return points.length > max ? `${points.slice(0, max).join("")}…` : points.join("");
}
