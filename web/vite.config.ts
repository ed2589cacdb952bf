// One build for the mobile app (retail/ → dist/, served at /): hashed, split per screen, with
// a generated service worker that precaches the shell and keeps recently seen product images.
// `npm run build` first makes an SSR build of retail/prerender.tsx (→ .prerender/), whose
// login markup the `shell` plugin writes into index.html with the CSS and a tiny boot script
// inlined; their hashes go to dist/.vite/csp.json for the Content-Security-Policy.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import { defineConfig } from "vitest/config";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

function sha256(text: string): string {
  return `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
}

/** The first paint without a script: the prerendered login, the CSS inline, and the boot
 * script that sets the remembered language and hides the login for a signed-in phone. */
function shell(): Plugin {
  const hashes = { "script-src": [] as string[], "style-src": [] as string[] };
  return {
    name: "livrili-shell",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      async handler(html, ctx) {
        const { prerenderLogin } = (await import(here("./.prerender/prerender.js"))) as {
          prerenderLogin: () => string;
        };
        const source = readFileSync(here("./retail/boot.js"), "utf8");
        const boot = source
          .split("\n")
          .filter((line) => !line.trim().startsWith("//"))
          .join("\n")
          .trim();
        let out = html
          .replace("<!--login-->", prerenderLogin())
          .replace("<!--boot-->", `<script>${boot}</script>`);
        const bundle = ctx.bundle ?? {};
        for (const [name, asset] of Object.entries(bundle)) {
          if (asset.type !== "asset" || !name.endsWith(".css")) continue;
          const css = String(asset.source);
          out = out.replace(
            new RegExp(`<link rel="stylesheet"[^>]*href="/${name}"[^>]*>`),
            `<style>${css}</style>`,
          );
          hashes["style-src"] = [sha256(css)]; // the file stays: lazy screens name it as a dependency
        }
        // the first paint needs no script (the login is prerendered, the CSS inline): the app's
        // module is asked for once the page has painted (see boot.js), never competing with it
        const entry = /<script type="module" crossorigin src="([^"]+)"><\/script>\s*/.exec(out);
        if (!entry) throw new Error("livrili-shell: the app's module tag was not found in index.html");
        out = out.replace(entry[0], "");
        const loader = boot.replace('"/__APP_MODULE__"', JSON.stringify(entry[1]));
        if (loader === boot) throw new Error("livrili-shell: boot.js does not name __APP_MODULE__");
        hashes["script-src"] = [sha256(loader)];
        return out.replace(`<script>${boot}</script>`, `<script>${loader}</script>`);
      },
    },
    writeBundle(options) {
      const dir = `${options.dir}/.vite`;
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${dir}/csp.json`, `${JSON.stringify(hashes, null, 1)}\n`);
    },
  };
}

export default defineConfig(({ isSsrBuild }) => ({
  root: "retail",
  publicDir: isSsrBuild ? false : "public",
  build: isSsrBuild
    ? { outDir: "../.prerender", emptyOutDir: true, ssr: true, target: "node20" }
    : {
        outDir: "../dist",
        emptyOutDir: true,
        target: "es2022",
        modulePreload: { polyfill: false },
        sourcemap: false,
        manifest: true, // the chunk graph bench/web_budget.py weighs the first load with
      },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  resolve: { alias: { react: "preact/compat", "react-dom": "preact/compat" } },
  plugins: isSsrBuild
    ? []
    : [
        shell(),
        VitePWA({
          registerType: "autoUpdate",
          injectRegister: false,
          manifest: {
            name: "ليفريلي · Livrili",
            short_name: "ليفريلي",
            description: "اطلب سلع محلك · Commandez le stock de votre magasin",
            lang: "ar",
            dir: "rtl",
            start_url: "/",
            scope: "/",
            display: "standalone",
            orientation: "portrait",
            background_color: "#f4f6f5",
            theme_color: "#0b6e4f",
            icons: [
              { src: "/icon-192.png", sizes: "192x192", type: "image/png" },
              { src: "/icon-512.png", sizes: "512x512", type: "image/png" },
              { src: "/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
              { src: "/icon.svg", sizes: "any", type: "image/svg+xml" },
            ],
          },
          workbox: {
            globPatterns: ["**/*.{js,css,html,svg,png,webmanifest}"],
            globIgnores: ["push-sw.js"], // imported by the worker itself, not a page's file
            navigateFallback: "/index.html",
            navigateFallbackDenylist: [/^\/v1\//, /^\/health/, /^\/openapi\.json/, /^\/admin\//],
            cleanupOutdatedCaches: true,
            importScripts: ["/push-sw.js"], // Web Push: show and open the notifications the API sends
            // the API is never cached by the worker: the app keeps its own data in IndexedDB
            runtimeCaching: [
              {
                urlPattern: ({ request }) => request.destination === "image",
                handler: "CacheFirst",
                options: {
                  cacheName: "images",
                  expiration: { maxEntries: 300, maxAgeSeconds: 30 * 24 * 3600, purgeOnQuotaError: true },
                  cacheableResponse: { statuses: [0, 200] },
                },
              },
            ],
          },
        }),
      ],
  test: {
    root: ".",
    include: ["tests/**/*.test.ts"],
    environment: "node",
  },
}));
