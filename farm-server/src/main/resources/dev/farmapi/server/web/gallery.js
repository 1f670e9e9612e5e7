// The gallery: one page of the farm's animals at a time, each with its picture, name and species,
// and (unless the key is read-only) edit and delete.
import { bytes, el } from './format.js';

const PAGE_SIZE = 12;
/** Pictures larger than this are not fetched for a thumbnail. */
const PREVIEW_LIMIT = 16 * 1024 * 1024;

export class Gallery {
  constructor(api, { list, status, prev, next, pageNumber }, { readOnly }) {
    this.api = api;
    this.listEl = list;
    this.statusEl = status;
    this.prevEl = prev;
    this.nextEl = next;
    this.pageNumberEl = pageNumber;
    this.readOnly = readOnly;
    this.tokens = [undefined]; // the page token of each page seen so far
    this.page = 0;
    this.urls = [];
    this.loads = null;
    prev.addEventListener('click', () => this.show(this.page - 1));
    next.addEventListener('click', () => this.show(this.page + 1));
  }

  /** Shows page `page` (0-based) again, e.g. after an upload or a delete. */
  async show(page = this.page) {
    this.status('Loading…');
    let result;
    try {
      result = await this.api.list(this.tokens[page], PAGE_SIZE);
    } catch (e) {
      this.status(`The animals could not be listed: ${e.message}`);
      return;
    }
    const items = result.items ?? [];
    if (items.length === 0 && page > 0) {
      return this.show(page - 1); // the last animal of a page was deleted
    }
    this.page = page;
    this.tokens.length = page + 1;
    if (result.nextPageToken) {
      this.tokens.push(result.nextPageToken);
    }
    this.clear();
    this.listEl.append(...items.map((a) => this.card(a)));
    this.prevEl.disabled = page === 0;
    this.nextEl.disabled = !result.nextPageToken;
    this.pageNumberEl.textContent = `Page ${page + 1}`;
    this.status(items.length === 0 ? 'No animals yet.' : '');
  }

  clear() {
    this.loads?.abort();
    this.loads = new AbortController();
    this.urls.forEach((u) => URL.revokeObjectURL(u));
    this.urls = [];
    this.listEl.replaceChildren();
  }

  status(text) {
    this.statusEl.textContent = text;
  }

  card(animal) {
    const item = el('li', { class: 'animal', 'data-id': animal.id });
    this.fill(item, animal);
    return item;
  }

  /** (Re)draws an animal's card: its picture, text, and buttons. */
  fill(item, animal) {
    const name = animal.name || '(no name)';
    const figure = el('div', { class: 'picture' });
    const size = Number(animal.mediaSize ?? 0);
    if (animal.mediaContentType?.startsWith('image/') && size <= PREVIEW_LIMIT) {
      figure.append(el('span', { class: 'no-picture', text: 'loading the picture…' }));
      this.api.media(animal.id, this.loads.signal).then((blob) => {
        const url = URL.createObjectURL(blob);
        this.urls.push(url);
        figure.replaceChildren(el('img', { alt: `Picture of ${name}`, src: url }));
      }).catch((e) => {
        if (e.name !== 'AbortError') {
          figure.replaceChildren(el('span', { class: 'no-picture', text: 'picture unavailable' }));
        }
      });
    } else {
      const text = animal.mediaContentType
        ? `${animal.mediaContentType}, ${bytes(size)}${size > PREVIEW_LIMIT ? ' (too large to preview)' : ''}`
        : 'no picture';
      figure.append(el('span', { class: 'no-picture', text }));
    }
    const body = el('div', { class: 'animal-text' },
      el('h3', { class: 'animal-name', text: name }),
      el('p', { class: 'animal-species', text: animal.species || 'species unknown' }));
    item.replaceChildren(figure, body);
    if (!this.readOnly) {
      const edit = el('button', { type: 'button', class: 'edit', 'aria-label': `Edit ${name}`, text: 'Edit' });
      const del = el('button', { type: 'button', class: 'delete', 'aria-label': `Delete ${name}`, text: 'Delete' });
      edit.addEventListener('click', () => this.edit(item, animal));
      del.addEventListener('click', () => this.confirmDelete(item, animal));
      item.append(el('div', { class: 'actions' }, edit, del));
    }
  }

  edit(item, animal) {
    const id = `edit-${animal.id}`;
    const nameInput = el('input', { id: `${id}-name`, type: 'text', maxlength: 200, class: 'edit-name' });
    nameInput.value = animal.name ?? '';
    const speciesInput = el('input', { id: `${id}-species`, type: 'text', maxlength: 200, class: 'edit-species' });
    speciesInput.value = animal.species ?? '';
    const error = el('p', { class: 'error', role: 'alert' });
    const form = el('form', { class: 'edit-form', 'aria-label': `Edit ${animal.name || 'animal'}` },
      el('label', { for: nameInput.id, text: 'Name' }), nameInput,
      el('label', { for: speciesInput.id, text: 'Species' }), speciesInput,
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'save', text: 'Save' }),
        el('button', { type: 'button', class: 'cancel-edit', text: 'Cancel' })),
      error);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        const after = await this.api.patch(animal.id, { name: nameInput.value, species: speciesInput.value });
        this.fill(item, after);
        item.querySelector('.edit')?.focus();
      } catch (err) {
        error.textContent = `Not saved: ${err.message}`;
      }
    });
    form.querySelector('.cancel-edit').addEventListener('click', () => {
      this.fill(item, animal);
      item.querySelector('.edit')?.focus();
    });
    item.querySelector('.actions').replaceWith(form);
    nameInput.focus();
  }

  confirmDelete(item, animal) {
    const name = animal.name || '(no name)';
    const yes = el('button', { type: 'button', class: 'confirm-delete', text: `Delete ${name} for good` });
    const no = el('button', { type: 'button', class: 'keep', text: 'Keep' });
    const error = el('p', { class: 'error', role: 'alert' });
    yes.addEventListener('click', async () => {
      try {
        await this.api.remove(animal.id);
        await this.show();
        this.status(`Deleted ${name}.`);
      } catch (err) {
        error.textContent = `Not deleted: ${err.message}`;
      }
    });
    no.addEventListener('click', () => {
      this.fill(item, animal);
      item.querySelector('.delete')?.focus();
    });
    item.querySelector('.actions').replaceWith(el('div', { class: 'actions' }, yes, no, error));
    no.focus();
  }
}
