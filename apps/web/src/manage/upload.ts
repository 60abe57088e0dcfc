import { createTRPCClient } from '@trpc/client';
import { createBistroLinks, type AppRouter } from '@bistro/client';

/**
 * A fetch on XMLHttpRequest, whose upload reports progress (fetch's does not). Only the photo
 * upload uses it, on the same Bistro links as every other call (the session cookie goes along).
 */
function fetchWithProgress(onProgress: (fraction: number) => void): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const url = input instanceof Request ? input.url : String(input);
      xhr.open(init?.method ?? 'GET', url);
      xhr.withCredentials = true;
      const headers = new Headers(init?.headers);
      headers.forEach((value, name) => xhr.setRequestHeader(name, value));
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      xhr.onload = () => {
        const answer = new Headers();
        for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
          const at = line.indexOf(':');
          if (at > 0) answer.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
        }
        resolve(new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText, headers: answer }));
      };
      xhr.onerror = () => reject(new TypeError('The upload failed'));
      xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
      init?.signal?.addEventListener('abort', () => xhr.abort());
      xhr.send((init?.body ?? null) as XMLHttpRequestBodyInit | null);
    });
}

/** Sends an item's photo (menu.items.setPhoto), reporting how much of it has gone (0 to 1). */
export async function uploadPhoto(itemId: string, photo: File, onProgress: (fraction: number) => void) {
  const client = createTRPCClient<AppRouter>({ links: createBistroLinks({ url: window.location.origin, fetch: fetchWithProgress(onProgress) }) });
  const form = new FormData();
  form.append('itemId', itemId);
  form.append('photo', photo);
  return client.menu.items.setPhoto.mutate(form);
}
