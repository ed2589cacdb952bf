// A signed-in phone's first screen asks for its first page before the app has run: the boot
// script (retail/boot.js) sends that request beside the download of the app's module, not after
// it — on 3G that is a round trip and a module's download saved. The screen takes the reply
// here, once; anything but a 200 is dropped and the screen asks the usual way.

declare global {
  interface Window {
    __livriliEarly?: Record<string, Promise<Response> | undefined>;
  }
}

/** The boot script's reply for `path` in `lang` (the request exactly as the boot script sent
 * it: it files each under `${path} ${lang}`), parsed, at most once. */
export async function takeEarly<T>(path: string, lang: string): Promise<T | undefined> {
  if (typeof window === "undefined" || !window.__livriliEarly) return undefined;
  const key = `${path} ${lang}`;
  const asked = window.__livriliEarly[key];
  window.__livriliEarly[key] = undefined;
  if (!asked) return undefined;
  try {
    const reply = await asked;
    return reply.ok ? ((await reply.json()) as T) : undefined;
  } catch {
    return undefined; // the network failed: the screen's own request says what it meets
  }
}
