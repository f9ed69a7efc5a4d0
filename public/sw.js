// Xuncha service worker: after one visit both apps open with no network — the field app for
// liaisons, the office app for inspectors on site. It caches the app shells only; answers,
// drafts and photos live in IndexedDB, which this worker never touches, so an app update
// cannot lose them. Nothing under /api is cached.
const CACHE = 'xuncha-shell-v1';

// Built files have content-hashed names that the worker cannot know in advance: read them from
// the entry page. Its build description names two builds; the page runs (and so this caches)
// the split one where WebAssembly has reference types, the whole one elsewhere (the same probe
// as the page's).
function assetsOf(html) {
  const urls = new Set(['/favicon.svg']);
  for (const m of html.matchAll(/(?:href|src)="(\/[^"]+)"/g)) urls.add(m[1]);
  const described = html.match(/<script type="application\/json" id="xuncha-build">([^<]*)<\/script>/);
  if (described) {
    const builds = JSON.parse(described[1]);
    let modern = false;
    try {
      modern = WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 1, 111, 0]));
    } catch (e) {}
    const build = modern || !builds.baseline ? builds.modern : builds.baseline;
    for (const p of build.preload) urls.add(p.href);
  }
  return [...urls].filter((u) => !u.startsWith('/api/'));
}

// The entry page of the app a path belongs to.
function shellOf(pathname) {
  return pathname === '/office' || pathname.startsWith('/office/') ? '/office/' : '/';
}

async function cacheShell(cache, shell, page) {
  const html = await page.clone().text();
  await cache.put(shell, page);
  await cache.addAll(assetsOf(html));
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Only the field app up front: a village phone should not download the office app. The
    // office shell is cached when an inspector first opens it.
    await cacheShell(cache, '/', await fetch('/', { cache: 'no-store' }));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  // The app's own check for a newer build must reach the server, not this cache.
  if (request.cache === 'no-store') return;
  // The public disclosure pages are plain server pages, not an app shell.
  if (url.pathname.startsWith('/gongkai')) return;
  if (request.mode === 'navigate') {
    // Network first: the newest app when online, the cached shell when not.
    event.respondWith((async () => {
      try {
        const page = await fetch(request);
        if (page.ok) {
          const cache = await caches.open(CACHE);
          cacheShell(cache, shellOf(url.pathname), page.clone()).catch(() => {});
        }
        return page;
      } catch (_) {
        return (await caches.match(shellOf(url.pathname))) || Response.error();
      }
    })());
    return;
  }

  // Built files never change under a name: cache first.
  event.respondWith((async () => {
    const cached = await caches.match(request);
    if (cached) return cached;
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(CACHE);
      cache.put(request, response.clone());
    }
    return response;
  })());
});
