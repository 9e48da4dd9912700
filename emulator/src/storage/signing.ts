import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Verdict = 'ok' | 'tampered' | 'expired';

/** An upload token: its expiry, and the uploading web user's uid when one asked. */
const UPLOAD_TOKEN = /^(\d+)(?:~([A-Za-z0-9_-]+))?$/;

export interface UploadCredentials {
  /** sent back by the SDK as `x-cos-security-token` */
  token: string;
  /** sent back as `authorization` (and `Signature`) */
  authorization: string;
  /** sent back as `x-cos-meta-fileid` */
  cosFileId: string;
}

/**
 * Signs temp download URLs and upload credentials with an HMAC key kept in the data folder, so URLs stay
 * valid across restarts of the same emulator and are worthless to any other.
 */
export class Signer {
  private constructor(
    private readonly secret: Buffer,
    /** storage's clock (Unix ms), which a test may move forward to see URLs expire */
    private readonly now: () => number,
  ) {}

  static open(dir: string, now: () => number = Date.now): Signer {
    const file = join(dir, 'secret');
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    return new Signer(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'), now);
  }

  /** The query of a temp URL for `path`, valid until `expiresAt` (Unix ms). */
  downloadQuery(path: string, expiresAt: number): string {
    return `sign=${this.mac(`download\n${path}\n${expiresAt}`)}&t=${expiresAt}`;
  }

  verifyDownload(path: string, sign: string | null, t: string | null): Verdict {
    if (!sign || !t || !/^\d+$/.test(t) || !this.matches(sign, `download\n${path}\n${t}`)) return 'tampered';
    return Number(t) < this.now() ? 'expired' : 'ok';
  }

  /**
   * Credentials for one upload of `path`, valid until `expiresAt` (Unix ms). A web user's uid rides in the
   * signed token (`<expiresAt>~<base64url uid>`), so the bytes arriving later are recorded as theirs.
   */
  uploadCredentials(path: string, expiresAt: number, uploaderUid?: string): UploadCredentials {
    const token = uploaderUid ? `${expiresAt}~${Buffer.from(uploaderUid).toString('base64url')}` : String(expiresAt);
    const cosFileId = randomBytes(12).toString('hex');
    return { token, cosFileId, authorization: this.mac(`upload\n${path}\n${token}\n${cosFileId}`) };
  }

  verifyUpload(path: string, { token, authorization, cosFileId }: Partial<UploadCredentials>): Verdict {
    if (!token || !authorization || !cosFileId || !UPLOAD_TOKEN.test(token)) return 'tampered';
    if (!this.matches(authorization, `upload\n${path}\n${token}\n${cosFileId}`)) return 'tampered';
    return Number(UPLOAD_TOKEN.exec(token)![1]) < this.now() ? 'expired' : 'ok';
  }

  /** The web user a verified upload token was issued to (null: a function or script's upload). */
  static uploaderOf(token: string): string | null {
    const encoded = UPLOAD_TOKEN.exec(token)?.[2];
    return encoded ? Buffer.from(encoded, 'base64url').toString('utf8') : null;
  }

  private mac(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url');
  }

  private matches(given: string, text: string): boolean {
    const expected = Buffer.from(this.mac(text));
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
