// One resumable upload (Google's media upload protocol) from a File, with no DOM: the page
// listens to its 'change' events. XHR rather than fetch, because only XHR reports upload
// progress. States: queued, starting, uploading, retrying, offline, paused, verifying, done,
// failed, cancelling, cancelled.
import { crc32cBase64, crc32cOfBlob } from './crc32c.js';
import { fingerprint } from './saved-sessions.js';

const KiB256 = 256 * 1024;
export const DEFAULT_CHUNK_SIZE = 32 * KiB256; // 8 MiB
/** Files up to this size are hashed here to check the server's CRC32C (~0.5 GB/s in V8). */
export const DEFAULT_HASH_LIMIT = 2 * 1024 * 1024 * 1024;
/** Retries of one failure in a row before giving up; time offline does not count. */
const MAX_RETRIES = 8;
/** A request that moves no byte for this long is given up (a sleeping laptop's dead socket). */
const STALL_MS = 60_000;

class HttpFailure extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
    // Lost connections, timeouts and server trouble pass; the rest would fail again.
    this.retryable = status === 0 || status === 408 || status === 429 || status >= 500;
  }
}

class SessionGone extends Error {}

class Stopped extends Error {}

/** The server's message out of a JSON error body, else the status line. */
function describe(xhr) {
  try {
    return `${xhr.status}: ${JSON.parse(xhr.responseText).error.message}`;
  } catch {
    return `${xhr.status} ${xhr.statusText}`.trim();
  }
}

export class ResumableUpload extends EventTarget {
  /**
   * @param file the File
   * @param options.key the API key (the initiation only: a session URI is its own credential)
   * @param options.metadata the animal's fields, e.g. {name, species}
   * @param options.sessions a SavedSessions, where unfinished sessions are kept
   */
  constructor(file, { key, metadata, sessions, chunkSize = DEFAULT_CHUNK_SIZE,
    hashLimit = DEFAULT_HASH_LIMIT }) {
    super();
    if (chunkSize <= 0 || chunkSize % KiB256 !== 0) {
      throw new Error('the chunk size must be a multiple of 256 KiB');
    }
    this.file = file;
    this.key = key;
    this.metadata = metadata;
    this.sessions = sessions;
    this.chunkSize = chunkSize;
    this.hashLimit = hashLimit;
    this.total = file.size;
    this.offset = 0; // bytes the server has made durable, as its last answer said
    this.sent = 0; // offset + what the request in flight has sent
    this.state = 'queued';
    this.note = '';
    this.sessionUri = null;
    this.animal = null;
    this.resumedAt = null;
    this.retries = 0;
    this.verified = null; // true, false, or null when the file was too large to hash here
    this.rate = new Rate();
  }

  /** Moving bytes or about to: what a pause can stop. */
  get active() {
    return ['starting', 'uploading', 'retrying', 'offline'].includes(this.state);
  }

  get finished() {
    return ['done', 'failed', 'cancelled'].includes(this.state);
  }

  /** Starts, or continues after a pause or a failure: asks the server where it stands first. */
  start() {
    if (this.finished && this.state !== 'failed') {
      return this.running;
    }
    this.stop = new AbortController();
    this.retries = 0;
    const previous = this.running ?? Promise.resolve();
    this.running = previous.then(() => this.run(this.stop.signal));
    return this.running;
  }

  pause() {
    if (this.active) {
      this.stop.abort();
      this.set('paused', 'Paused');
    }
  }

  /** Stops and deletes the session, and its bytes, on the server. */
  async cancel() {
    if (['done', 'cancelling', 'cancelled'].includes(this.state)) {
      return;
    }
    this.stop?.abort();
    this.set('cancelling', 'Cancelling…');
    await this.running?.catch(() => {});
    if (this.sessionUri) {
      try {
        // No key: the session URI is the capability. 499 cancelled, 404/410 already gone.
        await fetch(this.sessionUri, { method: 'DELETE', cache: 'no-store' });
      } catch {
        // unreachable: the server drops the session when it expires
      }
    }
    if (this.fp) {
      this.sessions.remove(this.fp);
    }
    this.set('cancelled', 'Cancelled');
  }

  async run(signal) {
    try {
      this.set('starting', this.sessionUri ? 'Asking the server where it stands…' : 'Starting…');
      this.fp ??= await fingerprint(this.file);
      stopIfAborted(signal);
      this.hashing ??= this.total <= this.hashLimit ? crc32cOfBlob(this.file) : null;
      let needStatus = this.sessionUri !== null;
      if (!this.sessionUri) {
        const saved = this.sessions.get(this.fp);
        if (saved) {
          this.sessionUri = saved.uri;
          needStatus = true;
          this.resumedAt = -1;
        }
      }
      while (!this.animal) {
        try {
          if (!this.sessionUri) {
            await this.initiate(signal);
          } else if (needStatus) {
            await this.exchange(signal, `bytes */${this.total}`, null);
            if (this.resumedAt === -1) {
              this.resumedAt = this.offset;
            }
          }
          needStatus = false;
          while (!this.animal) {
            await this.sendChunk(signal);
            this.retries = 0;
          }
        } catch (e) {
          if (signal.aborted || e instanceof Stopped) {
            return;
          }
          needStatus = await this.recover(e, signal);
        }
      }
      await this.finish();
    } catch (e) {
      if (!signal.aborted && !(e instanceof Stopped)) {
        this.set('failed', e.message);
      }
    }
  }

  /** After a failed request: decides, waits, and says whether to ask for the offset first. */
  async recover(e, signal) {
    if (e instanceof SessionGone) {
      this.sessions.remove(this.fp);
      this.sessionUri = null;
      this.offset = this.sent = 0;
      this.resumedAt = null;
      this.note = 'The server no longer has the unfinished upload: starting again from the start';
      return false;
    }
    if (!e.retryable) {
      throw e;
    }
    if (!navigator.onLine) {
      this.set('offline', 'Waiting for the network…');
      await waitOnline(signal);
    } else if (++this.retries > MAX_RETRIES) {
      throw new Error(`${e.message}; gave up after ${MAX_RETRIES} retries (Resume tries again)`);
    }
    // Exponential backoff with jitter: 0.5 s, 1 s, 2 s ... 30 s.
    const delay = Math.min(30_000, 500 * 2 ** Math.max(0, this.retries - 1)) * (0.5 + Math.random() / 2);
    stopIfAborted(signal);
    this.set('retrying', `${e.message}; retrying in ${Math.ceil(delay / 1000)} s`);
    await sleep(delay, signal);
    return this.sessionUri !== null;
  }

  async initiate(signal) {
    const xhr = await send(signal, 'POST', '/upload/farm/v1/animals?uploadType=resumable', {
      Authorization: `Bearer ${this.key}`,
      'Content-Type': 'application/json; charset=UTF-8',
      'X-Upload-Content-Type': this.file.type || 'application/octet-stream',
      'X-Upload-Content-Length': String(this.total),
    }, JSON.stringify(this.metadata));
    const location = xhr.getResponseHeader('Location');
    if (xhr.status !== 200 || !location) {
      throw new HttpFailure(xhr.status, describe(xhr));
    }
    this.sessionUri = new URL(location, window.location.href).href;
    this.offset = this.sent = 0;
    this.sessions.put(this.fp, { uri: this.sessionUri, created: Date.now(), size: this.total });
  }

  async sendChunk(signal) {
    const first = this.offset;
    const end = Math.min(this.total, first + this.chunkSize);
    stopIfAborted(signal); // a pause that came while we waited: do not say 'uploading'
    this.set('uploading');
    const range = end > first ? `bytes ${first}-${end - 1}/${this.total}` : `bytes */${this.total}`;
    await this.exchange(signal, range, this.file.slice(first, end), (loaded) => {
      this.sent = Math.min(end, first + loaded);
      this.rate.add(this.sent);
      this.emit();
    });
    if (!this.animal && end > first && this.offset <= first) {
      // The server kept none of a whole chunk: count it as a failure rather than loop.
      throw new HttpFailure(0, 'the server kept none of the last chunk');
    }
  }

  /** A chunk (or, with no body, a status query) on the session; updates offset or animal. */
  async exchange(signal, contentRange, body, onProgress) {
    const xhr = await send(signal, 'PUT', this.sessionUri, {
      'Content-Range': contentRange,
      // 200 + X-Http-Status-Code-Override: 308 instead of a 308, as Google's Go client asks:
      // nothing between here and the server can take it for a redirect.
      'X-GUploader-No-308': 'yes',
    }, body, onProgress);
    const incomplete = xhr.status === 308
      || ((xhr.status === 200 || xhr.status === 201)
        && xhr.getResponseHeader('X-Http-Status-Code-Override') === '308');
    if (incomplete) {
      const held = heldBytes(xhr.getResponseHeader('Range'));
      if (held > this.total) {
        throw new Error(`the server claims ${held} bytes of a ${this.total}-byte file`);
      }
      this.offset = this.sent = held;
      this.rate.add(held);
      return;
    }
    if (xhr.status === 200 || xhr.status === 201) {
      this.animal = JSON.parse(xhr.responseText);
      this.offset = this.sent = this.total;
      return;
    }
    if (xhr.status === 404 || xhr.status === 410) {
      throw new SessionGone();
    }
    throw new HttpFailure(xhr.status, describe(xhr));
  }

  async finish() {
    this.sessions.remove(this.fp);
    this.set('verifying', 'Checking the server’s copy…');
    if (!this.hashing) {
      this.verified = null;
      this.set('done', `Uploaded; not verified: the file is too large to hash in the browser`
        + ` (over ${Math.round(this.hashLimit / 1048576)} MiB)`);
      return;
    }
    const mine = crc32cBase64(await this.hashing);
    this.verified = mine === this.animal.crc32c;
    if (this.verified) {
      this.set('done', `Uploaded and verified (CRC32C ${mine})`);
    } else {
      this.set('failed', `The server’s copy differs from the file (CRC32C ${this.animal.crc32c},`
        + ` the file’s ${mine}): delete it and upload again`);
    }
  }

  set(state, note) {
    this.state = state;
    if (note !== undefined) {
      this.note = note;
    }
    this.emit();
  }

  emit() {
    this.dispatchEvent(new Event('change'));
  }
}

function stopIfAborted(signal) {
  if (signal.aborted) {
    throw new Stopped();
  }
}

/** N+1 for `Range: bytes=0-N`; 0 when the server holds nothing yet (no Range). */
function heldBytes(range) {
  if (!range) {
    return 0;
  }
  const m = /^bytes=0-(\d+)$/.exec(range.trim());
  if (!m) {
    throw new Error(`the server sent an unreadable Range: ${range}`);
  }
  return Number(m[1]) + 1;
}

/**
 * One request over XHR; resolves with the finished XHR whatever its status, rejects with a
 * retryable HttpFailure (status 0) when the connection failed or stalled, and with Stopped
 * when `signal` aborted it.
 */
function send(signal, method, url, headers, body, onProgress) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new Stopped());
      return;
    }
    const xhr = new XMLHttpRequest();
    let stallTimer;
    const alive = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => { xhr.abort(); reject(new HttpFailure(0, 'the connection stalled')); }, STALL_MS);
    };
    const done = () => {
      clearTimeout(stallTimer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => { done(); xhr.abort(); reject(new Stopped()); };
    signal.addEventListener('abort', onAbort);
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => { alive(); onProgress?.(e.loaded); };
    xhr.onprogress = alive;
    xhr.onload = () => { done(); resolve(xhr); };
    xhr.onerror = () => { done(); reject(new HttpFailure(0, 'the connection failed')); };
    xhr.send(body);
    alive();
  });
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { signal.removeEventListener('abort', stop); resolve(); }, ms);
    const stop = () => { clearTimeout(timer); reject(new Stopped()); };
    signal.addEventListener('abort', stop, { once: true });
  });
}

function waitOnline(signal) {
  return new Promise((resolve, reject) => {
    if (navigator.onLine) {
      resolve();
      return;
    }
    const online = () => { signal.removeEventListener('abort', stop); resolve(); };
    const stop = () => { window.removeEventListener('online', online); reject(new Stopped()); };
    window.addEventListener('online', online, { once: true });
    signal.addEventListener('abort', stop, { once: true });
  });
}

/** Bytes per second over the last few seconds, for speed and time left. */
export class Rate {
  constructor(windowMs = 5000) {
    this.windowMs = windowMs;
    this.samples = [];
  }

  add(bytes, now = performance.now()) {
    this.samples.push([now, bytes]);
    while (this.samples.length > 2 && now - this.samples[0][0] > this.windowMs) {
      this.samples.shift();
    }
  }

  perSecond() {
    if (this.samples.length < 2) {
      return 0;
    }
    const [t0, b0] = this.samples[0];
    const [t1, b1] = this.samples[this.samples.length - 1];
    return t1 > t0 ? Math.max(0, ((b1 - b0) * 1000) / (t1 - t0)) : 0;
  }
}
