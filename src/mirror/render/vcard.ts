// The phone numbers of a shared contact card: WhatsApp sends a vCard 3.0 text, and a reader in Slack
// wants the numbers, not the card.

const MAX_PHONES = 10;

/** Folded lines (RFC 6350 §3.2) continue on the next line after one space or tab. */
function unfold(vcard: string): string[] {
  return vcard
    .replace(/\r\n|\r/g, "\n")
    .replace(/\n[ \t]/g, "")
    .split("\n");
}

// `TEL;type=CELL;waid=62813…:+62 813-…`, also grouped (`item1.TEL:…`); quoted parameters may hold colons.
const TEL = /^(?:[\w-]+\.)?TEL(?:;(?:"[^"]*"|[^:"])*)?:(.*)$/i;

/** The card's phone numbers as written on it, without duplicates, at most ten. */
export function phonesFromVcard(vcard: string): string[] {
  const phones: string[] = [];
  for (const line of unfold(vcard)) {
    const value = TEL.exec(line)?.[1]?.trim();
    if (value && !phones.includes(value)) phones.push(value);
    if (phones.length === MAX_PHONES) break;
  }
  return phones;
}

/** The card's formatted name (FN), for a card whose message gives no display name. */
export function nameFromVcard(vcard: string): string | undefined {
  for (const line of unfold(vcard)) {
    const name = /^(?:[\w-]+\.)?FN(?:;[^:]*)?:(.*)$/i.exec(line)?.[1]?.trim();
    if (name) return name;
  }
  return undefined;
}
