// Xuncha service worker: after one visit the field app opens with no network. It caches the
// app shell only; answers, drafts and photos live in IndexedDB, which this worker never
// touches, so an app update cannot lose them. Nothing under /api is cached.
const CACHE = 'xuncha-shell-v1';

// Trunk gives built files content-hashed names that the worker cannot know in advance: read
// them from the entry page.
function assetsOf(html) {
  const urls = new Set(['/favicon.svg']);
  for (const m of html.matchAll(/(?:href|src)="(\/[^"]+)"/g)) urls.add(m[1]);
  for (const m of html.matchAll(/from '(\/[^']+)'/g)) urls.add(m[1]);
  for (const m of html.matchAll(/module_or_path: '(\/[^']+)'/g)) urls.add(m[1]);
  return [...urls].filter((u) => !u.startsWith('/api/') && !u.startsWith('/office'));
}

async function cacheShell(cache, page) {
  const html = await page.clone().text();
  await cache.put('/', page);
  await cache.addAll(assetsOf(html));
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cacheShell(cache, await fetch('/', { cache: 'no-store' }));
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
  // The office app is for desks with a network; it is not cached.
  if (url.pathname.startsWith('/office')) return;

  if (request.mode === 'navigate') {
    // Network first: the newest app when online, the cached shell when not.
    event.respondWith((async () => {
      try {
        const page = await fetch(request);
        if (page.ok) {
          const cache = await caches.open(CACHE);
          cacheShell(cache, page.clone()).catch(() => {});
        }
        return page;
      } catch (_) {
        return (await caches.match('/')) || Response.error();
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
