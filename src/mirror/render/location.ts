// A shared location: its name and address, and a map link (the one link the app itself writes).
import { clip, type RenderedBody, section } from "./blocks.js";
import type { MirrorContent } from "./content.js";
import { safeText } from "./mrkdwn.js";

type Place = (MirrorContent & { kind: "location" })["location"];

/** Six decimals are about 10 cm; more says nothing, and `toString` could turn tiny values into 1e-7. */
function coordinate(value: number): string {
  return String(Number(value.toFixed(6)));
}

function onEarth(place: Place): boolean {
  return Math.abs(place.latitude) <= 90 && Math.abs(place.longitude) <= 180;
}

function mapUrl(place: Place): string {
  return `https://www.google.com/maps?q=${coordinate(place.latitude)},${coordinate(place.longitude)}`;
}

export function renderLocation(content: MirrorContent & { kind: "location" }): RenderedBody {
  const place = content.location;
  const coordinates = `${coordinate(place.latitude)}, ${coordinate(place.longitude)}`;
  const title = place.name.trim() === "" ? "Location" : safeText(clip(place.name, 500));
  const lines = [`📍 *${title}*`];
  if (place.address.trim() !== "") lines.push(safeText(clip(place.address, 1000)));
  lines.push(onEarth(place) ? `<${mapUrl(place)}|Open in Google Maps> (${coordinates})` : coordinates);
  const named = place.name.trim() || place.address.trim() || coordinates;
  return { blocks: [section(lines.join("\n"))], summary: `📍 Location: ${named}` };
}
