// The page: sign-in, then the gallery and the uploads. The key comes from the address's
// fragment (#key=..., which browsers never send to a server) or from the form, and is kept in
// this tab's sessionStorage only.
import { Api } from './api.js';
import { Gallery } from './gallery.js';
import { SavedSessions } from './saved-sessions.js';
import { UploadList } from './uploads.js';

const KEY_ITEM = 'farm.key';
const $ = (id) => document.getElementById(id);

/** Moves a key from the fragment into sessionStorage and out of the address bar and history. */
function takeKeyFromFragment() {
  const key = new URLSearchParams(window.location.hash.slice(1)).get('key');
  if (key) {
    sessionStorage.setItem(KEY_ITEM, key.trim());
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
}

async function signIn(key) {
  const api = new Api(key);
  sessionStorage.setItem(KEY_ITEM, key);
  let who;
  try {
    who = await api.whoami();
  } catch (e) {
    if (e.status === 401 || e.status === 403) {
      sessionStorage.removeItem(KEY_ITEM);
      showSignIn('That key was not accepted. Check it, or make one with: farm keys create --farm NAME');
    } else {
      showSignIn(`The server cannot be reached or failed (${e.message}). Try again.`);
    }
    return;
  }
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
  const whoEl = $('who');
  whoEl.hidden = false;
  whoEl.textContent = [who.farm ? `Farm ${who.farm}` : 'Signed in',
    who.readOnly ? 'read-only key: looking only' : null].filter(Boolean).join(' · ');
  document.body.dataset.readOnly = who.readOnly ? 'true' : 'false';

  const gallery = new Gallery(api, {
    list: $('animals'), status: $('gallery-status'), prev: $('prev-page'),
    next: $('next-page'), pageNumber: $('page-number'),
  }, { readOnly: who.readOnly });
  $('gallery').hidden = false;
  await gallery.show(0);

  if (!who.readOnly) {
    startUploads(key, gallery);
  }
}

function startUploads(key, gallery) {
  let refresh;
  const uploads = new UploadList($('upload-list'), $('clear-finished'), {
    key,
    sessions: new SavedSessions(key),
    onUploaded: () => {
      clearTimeout(refresh); // several uploads finishing together: one listing
      refresh = setTimeout(() => gallery.show(), 300);
    },
  });
  const species = () => $('species-input').value.trim();
  const input = $('file-input');
  input.addEventListener('change', () => {
    uploads.add([...input.files], species());
    input.value = ''; // picking the same file again (after a reload) must fire 'change' again
  });
  const zone = $('drop-zone');
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dragging');
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length > 0) {
      uploads.add(files, species());
    }
  });
  // A file dropped beside the zone must not make the browser leave the page (and the uploads).
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  $('uploads').hidden = false;
}

function showSignIn(message = '') {
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
  $('key-input').focus();
}

function main() {
  takeKeyFromFragment();
  $('sign-in-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const key = $('key-input').value.trim();
    $('key-input').value = '';
    if (key) {
      $('sign-in-error').textContent = 'Signing in…';
      signIn(key);
    }
  });
  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(KEY_ITEM);
    window.location.reload(); // nothing of the signed-in page is left behind
  });
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(window.location.hash.slice(1)).has('key')) {
      takeKeyFromFragment();
      window.location.reload();
    }
  });
  const key = sessionStorage.getItem(KEY_ITEM);
  if (key) {
    signIn(key);
  } else {
    showSignIn();
  }
}

main();
