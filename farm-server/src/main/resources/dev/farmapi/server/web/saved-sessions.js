// Unfinished uploads, remembered in localStorage so that they survive a reload or a crash of the
// browser: the session URI under the file's fingerprint. Picking the same file again finds it.
import { crc32cOfBlob, crc32cUpdate, crc32cHex } from './crc32c.js';

const PREFIX = 'farm.upload.v1.';
const MiB = 1024 * 1024;
/** Sessions live 7 days on a default server; older entries can only answer 404. */
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/**
 * What tells one file from another without reading all of it: name, size, modification time
 * and checksums of its first and last MiB (a file edited in the middle with the same size and
 * time is the one case this misses; the final CRC32C check catches it).
 */
export async function fingerprint(file) {
  const head = await crc32cOfBlob(file.slice(0, MiB));
  const tail = await crc32cOfBlob(file.slice(Math.max(0, file.size - MiB)));
  return [file.name, file.size, file.lastModified, crc32cHex(head), crc32cHex(tail)].join('|');
}

export class SavedSessions {
  /**
   * @param key the API key: its checksum (never the key) keeps one farm's unfinished uploads
   *     apart from another's on a shared browser; a session URI needs no key to be used, so
   *     resuming it under another farm's key would put the picture in the wrong farm.
   */
  constructor(key, storage = window.localStorage) {
    this.storage = storage;
    this.prefix = PREFIX + crc32cHex(crc32cUpdate(0, new TextEncoder().encode(key))) + '.';
    this.forgetOld();
  }

  get(fp) {
    try {
      const entry = JSON.parse(this.storage.getItem(this.prefix + fp));
      return entry?.uri ? entry : null;
    } catch {
      return null;
    }
  }

  put(fp, entry) {
    try {
      this.storage.setItem(this.prefix + fp, JSON.stringify({ ...entry, saved: Date.now() }));
    } catch {
      // storage full or disabled: the upload goes on, it just cannot survive a reload
    }
  }

  remove(fp) {
    this.storage.removeItem(this.prefix + fp);
  }

  forgetOld() {
    const now = Date.now();
    for (let i = this.storage.length - 1; i >= 0; i--) {
      const name = this.storage.key(i);
      if (!name?.startsWith(PREFIX)) {
        continue;
      }
      try {
        if (now - JSON.parse(this.storage.getItem(name)).created > MAX_AGE_MS) {
          this.storage.removeItem(name);
        }
      } catch {
        this.storage.removeItem(name);
      }
    }
  }
}
