// Build time only (an SSR build run by `npm run build`, never in the browser's bundle): the
// first screen of a new phone — the login — as HTML for index.html, so it is painted before any
// script has loaded; the app then renders the same markup over it (no shift).
import { LocationProvider } from "preact-iso";
import { locationStub } from "preact-iso/prerender";
import { renderToString } from "preact-render-to-string";
import Login from "./pages/login";

export function prerenderLogin(): string {
  locationStub("/");
  return renderToString(
    <LocationProvider>
      <Login />
    </LocationProvider>,
  );
}
