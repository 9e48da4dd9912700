/**
 * CloudBase names a file `cloud://<envId>.<bucket>/<path>`, its bucket `<hex of the env id's first two
 * characters>-<envId>-<COS appid>` (e.g. `cloud://prod-1a2b.7072-prod-1a2b-1300000000/img/a.png`).
 */

/** The Tencent Cloud account id every emulated bucket belongs to (a real one has 10 digits too). */
const COS_APP_ID = '1300000000';

/** COS caps an object key at 850 bytes. */
const MAX_PATH_BYTES = 850;

export function bucketOf(envId: string): string {
  return `${Buffer.from(envId.slice(0, 2)).toString('hex')}-${envId}-${COS_APP_ID}`;
}

export const fileIdOf = (envId: string, path: string) => `cloud://${envId}.${bucketOf(envId)}/${path}`;

/** The path inside the bucket a file ID names, or null when the ID is not one of this environment. */
export function pathOfFileId(envId: string, fileId: string): string | null {
  const prefix = `cloud://${envId}.${bucketOf(envId)}/`;
  if (!fileId.startsWith(prefix)) return null;
  const path = fileId.slice(prefix.length);
  return cloudPathProblem(path) === null ? path : null;
}

/**
 * Why a cloud path cannot name a file, or null if it can. Besides COS's own limits, `?` and `#` are
 * refused: the SDK puts the path into a temp URL with `encodeURI`, which leaves them to be read as the
 * query and the fragment, so such a file could never be downloaded.
 */
export function cloudPathProblem(path: string): string | null {
  if (!path) return 'cloudPath is empty';
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) return `cloudPath is over ${MAX_PATH_BYTES} bytes`;
  if (path.startsWith('/')) return 'cloudPath must not start with /';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\?#]/.test(path)) return 'cloudPath must not contain control characters, \\, ? or #';
  if (path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return 'cloudPath must not contain empty, . or .. segments';
  }
  return null;
}
