// The station tablet's service worker (scope /t/): the worker's task goes on when the
// workshop Wi-Fi drops, and nothing the worker did is lost or counted twice.
//
// - "My work now" asks it to keep the task's screens (materials, every step, the end) and
//   what they show (styles, scripts, pictograms, step photos and clips; not the films).
// - Screens come from the network first and from the kept copy when it does not answer.
// - A tap that needs the server (Done, a count, a measure, a scan, "Koniec pracy") goes to
//   the network; without one it waits in IndexedDB, in order, and the worker goes on to the
//   next screen. Waiting taps are sent when the network answers again (on the next request,
//   on the browser's "online", every 20 s from the page, and by Background Sync where there
//   is one). Every tap carries its own id, so a resend is stored once by the server.
// - Help calls are never kept for later: a call that cannot be sent says so on the screen
//   (ring the bell), since a call that arrives an hour late helps nobody.
// - Signing out, or the photo screen of nobody signed in, forgets the kept screens: a shared
//   tablet never shows one worker's work to the next.

const PAGES = "shopfloor-pages-v1";
const FILES = "shopfloor-files-v1";
const QUEUE_DB = "shopfloor-offline";
const OFFLINE_PAGE = "/t/offline";
const NETWORK_TIMEOUT_MS = 4000;
const KEPT_POSTS = [/^\/t\/work\/step\/\d+$/, /^\/t\/events$/, /^\/t\/sign-out$/];
const FILE_PATHS = [/^\/static\//, /^\/t\/media\//, /^\/pictograms\//];
const LINKED = /(?:src|href|poster|data-audio)="(\/(?:static|t\/media|pictograms)\/[^"]+)"/g;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// ---------------------------------------------------------------- the queue of taps

function openQueue() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(QUEUE_DB, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("posts", { keyPath: "id", autoIncrement: true });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withPosts(mode, action) {
  const db = await openQueue();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction("posts", mode);
    const request = action(transaction.objectStore("posts"));
    transaction.oncomplete = () => { db.close(); resolve(request.result); };
    transaction.onerror = () => { db.close(); reject(transaction.error); };
  });
}

const keep = (entry) => withPosts("readwrite", (posts) => posts.add(entry));
const waiting = () => withPosts("readonly", (posts) => posts.getAll());  // oldest first
const sent = (id) => withPosts("readwrite", (posts) => posts.delete(id));

let replaying = null;
// Send the waiting taps in the order they were made; true when none is left waiting.
function replay() {
  if (!replaying) {
    replaying = (async () => {
      try {
        for (const entry of await waiting()) {
          try {
            await fetch(entry.url, { method: "POST", body: entry.body, headers: entry.headers,
                                     credentials: "same-origin", redirect: "manual" });
          } catch (error) {
            return false;  // still no network: the rest waits too, in order
          }
          await sent(entry.id);  // the server answered (whatever it said): sent
        }
        return true;
      } finally {
        replaying = null;
      }
    })();
  }
  return replaying;
}

self.addEventListener("sync", (event) => {
  if (event.tag === "shopfloor-taps") event.waitUntil(replay());
});

// ---------------------------------------------------------------- kept screens and files

async function forgetPages() {
  await caches.delete(PAGES);
}

async function keepFile(files, path) {
  if (path.endsWith(".mp4") || await files.match(path)) return;
  const response = await fetch(path, { credentials: "same-origin" });
  if (response.ok) await files.put(path, response);
}

async function keepWork(paths) {
  const pages = await caches.open(PAGES);
  const files = await caches.open(FILES);
  const linked = new Set();
  let kept = 0;
  for (const path of [...paths, OFFLINE_PAGE]) {
    const response = await fetch(path, { credentials: "same-origin" });
    if (!response.ok || response.redirected) continue;
    const html = await response.clone().text();
    for (const match of html.matchAll(LINKED)) linked.add(match[1].replaceAll("&amp;", "&"));
    if (path === OFFLINE_PAGE) {
      await files.put(path, response);  // kept past a sign-out, unlike the worker's screens
    } else {
      await pages.put(path, response);
      kept += 1;
    }
  }
  await Promise.all([...linked].map((path) => keepFile(files, path).catch(() => null)));
  return kept;
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep-work" && Array.isArray(data.pages)) {
    event.waitUntil(keepWork(data.pages).then((kept) => {
      if (event.source) event.source.postMessage({ type: "work-kept", pages: kept });
    }).catch(() => null));
  } else if (data.type === "forget-work") {
    event.waitUntil(forgetPages());
  } else if (data.type === "replay") {
    event.waitUntil(replay().then((done) => {
      if (event.source) event.source.postMessage({ type: "replayed", done });
    }));
  }
});

// ---------------------------------------------------------------- answering requests

function timeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); },
                 (error) => { clearTimeout(timer); reject(error); });
  });
}

async function offlineScreen() {
  return (await caches.match(OFFLINE_PAGE, { ignoreVary: true }))
    || new Response("<!doctype html><title>Offline</title>", {
      status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function screen(request) {
  const path = new URL(request.url).pathname;
  let response;
  try {
    response = await timeout(fetch(request), NETWORK_TIMEOUT_MS);
  } catch (error) {
    const kept = await caches.match(request, { ignoreVary: true, ignoreSearch: true });
    return kept || offlineScreen();
  }
  if (response.status === 403 || (path === "/t/" && response.ok)) {
    await forgetPages();  // not a station (any more), or nobody is signed in here
  } else if (response.ok && path.startsWith("/t/work")) {
    await (await caches.open(PAGES)).put(path, response.clone());
  }
  replay();
  return response;
}

async function file(request, event) {
  // Photos, clips and pictograms never change under their name: the kept copy is enough.
  // Styles and scripts may change with an update: the kept copy now, the new one next time.
  const kept = await caches.match(request, { ignoreVary: true });
  if (kept && !new URL(request.url).pathname.startsWith("/static/")) return kept;
  const fresh = fetch(request).then(async (response) => {
    if (response.status === 200) await (await caches.open(FILES)).put(request, response.clone());
    return response;
  });
  if (!kept) return fresh;
  event.waitUntil(fresh.catch(() => null));
  return kept;
}

function answerWithoutNetwork(path, body) {
  if (path === "/t/events") {
    return new Response(JSON.stringify({ queued: true }), {
      status: 202, headers: { "Content-Type": "application/json" } });
  }
  const form = new URLSearchParams(body);
  // A bad piece needs the supervisor's word on what to do with it; so does signing out
  // without a network (the next worker should not start on a tablet that cannot send).
  let next = form.get("offline_next") || OFFLINE_PAGE;
  if (path === "/t/sign-out" || form.get("action") === "check:bad") next = OFFLINE_PAGE;
  return Response.redirect(new URL(next, self.location.origin).href, 303);
}

async function postOrKeep(request) {
  const path = new URL(request.url).pathname;
  const body = await request.clone().text();
  const headers = {};
  for (const name of ["Content-Type", "X-CSRFToken"]) {
    const value = request.headers.get(name);
    if (value) headers[name] = value;
  }
  const later = async () => {
    await keep({ url: request.url, body, headers, at: Date.now() });
    if (self.registration.sync) self.registration.sync.register("shopfloor-taps").catch(() => null);
    if (path === "/t/sign-out") await forgetPages();
    return answerWithoutNetwork(path, body);
  };
  // Taps that wait go first, so the server sees them in the order they were made.
  if ((await waiting()).length && !(await replay())) return later();
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    return later();
  }
  if (path === "/t/sign-out") await forgetPages();
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname === "/t/sw.js") return;
  if (request.method === "POST") {
    if (KEPT_POSTS.some((pattern) => pattern.test(url.pathname))) {
      event.respondWith(postOrKeep(request));
    }
    return;  // help calls and everything else: the network, or a clear failure
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate" && url.pathname.startsWith("/t/")) {
    event.respondWith(screen(request));
  } else if (FILE_PATHS.some((pattern) => pattern.test(url.pathname))
             && !url.pathname.endsWith(".mp4") && !request.headers.has("Range")) {
    event.respondWith(file(request, event));
  }
});
