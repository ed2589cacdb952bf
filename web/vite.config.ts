// One build for the mobile app (retail/ → dist/, served at /): hashed, split per screen, with
// a generated service worker that precaches the shell and keeps recently seen product images.

import { VitePWA } from "vite-plugin-pwa";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: "retail",
  publicDir: "public",
  build: {
    outDir: "../dist",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    sourcemap: false,
    manifest: true, // the chunk graph bench/web_budget.py weighs the first load with
  },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  resolve: { alias: { react: "preact/compat", "react-dom": "preact/compat" } },
  plugins: [
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
});
