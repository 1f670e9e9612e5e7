// The upload list: a queue of ResumableUploads (a few at once), each shown as a row with a live
// progress bar, speed, time left and its buttons.
import { ResumableUpload, DEFAULT_HASH_LIMIT } from './resumable.js';
import { bytes, duration, el } from './format.js';

const AT_ONCE = 3;

export class UploadList {
  /**
   * @param list the <ul> of rows
   * @param options.key the API key; options.sessions a SavedSessions;
   *     options.onUploaded(animal) is told of each finished upload
   */
  constructor(list, clearButton, { key, sessions, onUploaded }) {
    this.list = list;
    this.clearButton = clearButton;
    clearButton.addEventListener('click', () => this.clearFinished());
    this.key = key;
    this.sessions = sessions;
    this.onUploaded = onUploaded;
    this.uploads = [];
  }

  /** Queues files (picked or dropped); a file already in the list is resumed, not added again. */
  add(files, species) {
    for (const file of files) {
      const same = this.uploads.find((u) => !u.finished && u.file.name === file.name
        && u.file.size === file.size && u.file.lastModified === file.lastModified);
      if (same) {
        if (same.state === 'paused') {
          same.start();
        }
        continue;
      }
      const metadata = { name: file.name.replace(/\.[^.]*$/, '') || file.name };
      if (species) {
        metadata.species = species;
      }
      const upload = new ResumableUpload(file, {
        key: this.key, metadata, sessions: this.sessions, hashLimit: hashLimit(),
      });
      const row = new UploadRow(upload);
      upload.row = row.element;
      this.list.prepend(row.element);
      upload.addEventListener('change', () => {
        row.render();
        if (upload.finished) {
          this.next();
          this.clearButton.hidden = false;
        }
        if (upload.state === 'done' && !upload.told) {
          upload.told = true;
          this.onUploaded(upload.animal);
        }
      });
      this.uploads.push(upload);
    }
    this.next();
  }

  /** Forgets the rows of uploads that are done or cancelled (failed ones stay, to retry). */
  clearFinished() {
    const gone = this.uploads.filter((u) => u.state === 'done' || u.state === 'cancelled');
    gone.forEach((u) => u.row.remove());
    this.uploads = this.uploads.filter((u) => !gone.includes(u));
    this.clearButton.hidden = true;
  }

  next() {
    let running = this.uploads.filter((u) => u.active).length;
    for (const u of this.uploads) {
      if (running >= AT_ONCE) {
        break;
      }
      if (u.state === 'queued') {
        u.start();
        running++;
      }
    }
  }
}

/**
 * How large a file is hashed to check the server's CRC32C; `localStorage['farm.hashLimit']`
 * (bytes) changes it on a slow machine.
 */
function hashLimit() {
  const n = Number(window.localStorage.getItem('farm.hashLimit'));
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_HASH_LIMIT;
}

class UploadRow {
  constructor(upload) {
    this.upload = upload;
    const name = upload.file.name;
    this.bar = el('progress', { max: Math.max(1, upload.total), value: 0, 'aria-label': `Upload of ${name}` });
    this.figures = el('span', { class: 'figures' });
    this.note = el('span', { class: 'note' });
    this.pause = el('button', { type: 'button', class: 'pause', 'aria-label': `Pause ${name}`, text: 'Pause' });
    this.resume = el('button', { type: 'button', class: 'resume', 'aria-label': `Resume ${name}`, text: 'Resume' });
    this.cancel = el('button', { type: 'button', class: 'cancel', 'aria-label': `Cancel ${name}`, text: 'Cancel' });
    this.pause.addEventListener('click', () => upload.pause());
    this.resume.addEventListener('click', () => upload.start());
    this.cancel.addEventListener('click', () => upload.cancel());
    this.element = el('li', { class: 'upload' },
      el('div', { class: 'upload-head' },
        el('span', { class: 'file-name', text: name }),
        el('span', { class: 'file-size', text: bytes(upload.total) })),
      this.bar,
      el('div', { class: 'upload-foot' },
        el('p', { class: 'upload-status', role: 'status' }, this.figures, this.note),
        el('div', { class: 'actions' }, this.pause, this.resume, this.cancel)));
    this.render();
  }

  render() {
    const u = this.upload;
    this.element.dataset.state = u.state;
    this.bar.value = u.sent;
    const live = u.state === 'uploading';
    const speed = u.rate.perSecond();
    const parts = [`${bytes(u.sent)} of ${bytes(u.total)}`];
    if (live && speed > 0) {
      parts.push(`${bytes(speed)}/s`, `${duration((u.total - u.sent) / speed)} left`);
    }
    if (u.resumedAt !== null && u.resumedAt >= 0) {
      parts.push(`resumed at ${bytes(u.resumedAt)}`);
    }
    this.figures.textContent = parts.join(' · ');
    this.note.textContent = live ? '' : ` — ${u.note}`;
    this.pause.hidden = !u.active;
    // A copy that differs from the file cannot be mended by resending: no Retry then.
    this.resume.hidden = !(u.state === 'paused' || (u.state === 'failed' && u.verified !== false));
    this.resume.textContent = u.state === 'failed' ? 'Retry' : 'Resume';
    this.cancel.hidden = (u.finished && u.state !== 'failed') || u.state === 'cancelling';
  }
}
