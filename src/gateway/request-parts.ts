// Checks on what an operation puts into the request line and headers: the API key and path segments.

export function checkApiKey(apiKey: string): void {
  // Checked here rather than by undici so that no library message ever gets near the key's text.
  if (typeof apiKey !== "string" || apiKey.length === 0)
    throw new TypeError("apiKey must be a non-empty string");
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new TypeError("apiKey contains characters that cannot be sent in an HTTP header");
  }
}

/** One encoded path segment; "." and ".." are escaped too, or a proxy would resolve them. */
export function segment(value: string, name: string): string {
  if (typeof value !== "string" || value.length === 0)
    throw new TypeError(`${name} must be a non-empty string`);
  const encoded = encodeURIComponent(value);
  return /^\.+$/.test(encoded) ? encoded.replace(/\./g, "%2E") : encoded;
}
