import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface StoredFile {
  /** the path inside the bucket, e.g. `homework/o-abc/essay.pdf` */
  path: string;
  size: number;
  contentType: string;
  /** openid of the learner who uploaded it from the mini program; null when a function, script or web user did */
  owner: string | null;
  /** uid of the web user (staff, from the console) who uploaded it; absent otherwise */
  uid?: string;
  uploadedAt: number;
  /** name of the file under `blobs/` holding the bytes */
  blob: string;
}

/**
 * The bucket on local disk: `blobs/<random>` hold the bytes, `meta/<sha256 of path>.json` describe each
 * file and name its blob. A write lands the bytes in a new blob first, then renames the description into
 * place: that rename is the commit, so a crash leaves either the old file or the new one, never part of
 * one (an orphan blob at worst, swept at the next start).
 */
export class FileStore {
  private readonly files = new Map<string, StoredFile>();

  private constructor(private readonly root: string) {}

  static open(root: string): FileStore {
    const store = new FileStore(root);
    mkdirSync(join(root, 'blobs'), { recursive: true });
    mkdirSync(join(root, 'meta'), { recursive: true });
    for (const name of readdirSync(join(root, 'meta'))) {
      const file = join(root, 'meta', name);
      if (!name.endsWith('.json')) {
        rmSync(file, { force: true });
        continue;
      }
      const meta = JSON.parse(readFileSync(file, 'utf8')) as StoredFile;
      store.files.set(meta.path, meta);
    }
    const referenced = new Set([...store.files.values()].map((f) => f.blob));
    for (const blob of readdirSync(join(root, 'blobs'))) {
      if (!referenced.has(blob)) rmSync(join(root, 'blobs', blob), { force: true });
    }
    return store;
  }

  get(path: string): StoredFile | undefined {
    return this.files.get(path);
  }

  list(): StoredFile[] {
    return [...this.files.values()].sort((a, b) => a.path.localeCompare(b.path));
  }

  blobPath(file: StoredFile): string {
    return join(this.root, 'blobs', file.blob);
  }

  /** Stores `bytes` at `path`, replacing any file there; resolves once both are on disk. */
  async put(path: string, bytes: Buffer, contentType: string, owner: string | null, uid?: string): Promise<StoredFile> {
    const blob = randomBytes(16).toString('hex');
    const handle = await open(join(this.root, 'blobs', blob), 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const file: StoredFile = { path, size: bytes.length, contentType, owner, ...(uid ? { uid } : {}), uploadedAt: Date.now(), blob };
    // Synchronous from here: concurrent writes of one path commit in the order they reach this point.
    const previous = this.files.get(path);
    const meta = this.metaPath(path);
    const temp = `${meta}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, JSON.stringify(file));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, meta);
    this.files.set(path, file);
    if (previous) await unlink(join(this.root, 'blobs', previous.blob)).catch(() => undefined);
    return file;
  }

  /** Deletes the file at `path`; false if there is none. */
  remove(path: string): boolean {
    const file = this.files.get(path);
    if (!file) return false;
    rmSync(this.metaPath(path), { force: true });
    this.files.delete(path);
    rmSync(this.blobPath(file), { force: true });
    return true;
  }

  private metaPath(path: string): string {
    return join(this.root, 'meta', `${createHash('sha256').update(path).digest('hex')}.json`);
  }
}
