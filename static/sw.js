/* Chalkline service worker: static files cache-first, pages network-first with an offline page. */
// The /sw.js view replaces the next line with the current build: a version that changes with any static file
// (so the browser installs a new worker and drops the old cache) and each file's content-hashed URL
// (app/assets.py). Left as is, the plain names still work.
const ASSETS = {"version": "chalkline-unbuilt", "urls": {}};
const VERSION = ASSETS.version;
const SHELL_FILES = ["css/app.css", "js/app.js", "vendor/htmx-2.0.11.min.js", "icons/icon-192.png"];
const SHELL = ["/offline", "/manifest.webmanifest",
  ...SHELL_FILES.map((name) => ASSETS.urls[name] || "/static/" + name)];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== VERSION).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        const copy = response.clone();
        if (response.ok) caches.open(VERSION).then((cache) => cache.put(request, copy));
        return response;
      }))
    );
    return;
  }
  if (request.mode === "navigate") {
    // Signed-in pages hold student data: they are not stored, only the offline page is.
    event.respondWith(fetch(request).catch(() => caches.match("/offline")));
  }
});
