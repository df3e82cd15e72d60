// The review desk's script (formproc serve, /desk/): keyboard work on a
// record, corrections and approval through the API, uploads with progress.
// No dependencies, no inline code (the page's CSP forbids it). Every change
// carries the session's CSRF token in the X-CSRF-Token header.
'use strict';

(function () {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : '';

  function say(element, text, isError) {
    if (!element) return;
    element.textContent = text;
    element.classList.toggle('error', Boolean(isError));
  }

  async function callApi(method, url, body) {
    const headers = { 'X-CSRF-Token': csrf };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(url, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let json = null;
    try { json = await response.json(); } catch (e) { json = null; }
    return { status: response.status, json };
  }

  function problem(reply) {
    const detail = reply.json && reply.json.message ? ' (' + reply.json.message + ')' : '';
    if (reply.status === 403) return 'Brak uprawnień albo sesja wygasła — zaloguj się ponownie' + detail + '.';
    if (reply.status === 409) return 'Tego zgłoszenia nie można teraz zmienić' + detail + '.';
    if (reply.status === 400) return 'Niepoprawna wartość' + detail + '.';
    return 'Nie udało się (błąd ' + reply.status + ')' + detail + '.';
  }

  // ---- one record ----------------------------------------------------------

  function valueOf(control) {
    const text = control.value.trim();
    if (text === '') return null;
    switch (control.dataset.type) {
      case 'checkbox': return text === 'true';
      case 'integer': return /^-?\d+$/.test(text) ? Number(text) : text;
      case 'json': return JSON.parse(text);
      default: return text;
    }
  }

  // ---- the page under a field -----------------------------------------------

  // Shows the part of the page image around the field's box (fractions of
  // the page, data-box "x y w h") as the crop's background, the box itself
  // outlined: the reviewer compares the value with what the card says
  // without looking for it on the page.
  function showCrop(field, pages) {
    const crop = field.querySelector('.crop');
    if (!crop || crop.dataset.shown) return;
    crop.dataset.shown = '1';
    crop.hidden = false;
    const [x, y, w, h] = crop.dataset.box.split(' ').map(Number);
    const url = pages + crop.dataset.page;
    const image = new Image();
    image.addEventListener('load', () => {
      const W = image.naturalWidth;
      const H = image.naturalHeight;
      // Wider on the left: the printed label usually stands there.
      const padLeft = 0.3;
      const padRight = 0.04;
      const padY = Math.max(h, 0.015);
      const left = Math.max(0, x - padLeft) * W;
      const top = Math.max(0, y - padY) * H;
      const width = Math.min(1, x + w + padRight) * W - left;
      const height = Math.min(1, y + h + padY) * H - top;
      const scale = Math.min((crop.clientWidth || width) / width, 240 / height);
      crop.style.width = Math.round(width * scale) + 'px';
      crop.style.height = Math.round(height * scale) + 'px';
      crop.style.backgroundImage = 'url("' + url + '")';
      crop.style.backgroundSize = (W * scale) + 'px ' + (H * scale) + 'px';
      crop.style.backgroundPosition = (-left * scale) + 'px ' + (-top * scale) + 'px';
      const mark = crop.querySelector('.crop-mark');
      mark.style.left = (x * W - left) * scale + 'px';
      mark.style.top = (y * H - top) * scale + 'px';
      mark.style.width = w * W * scale + 'px';
      mark.style.height = h * H * scale + 'px';
    });
    image.src = url;
  }

  function initRecord(record) {
    const id = record.dataset.id;
    const api = '/api/v1/submissions/' + id;
    const message = document.getElementById('message');
    const saveButton = document.getElementById('save');
    const fields = Array.from(document.querySelectorAll('.field'));
    const changed = new Set();
    let current = -1;

    const pages = '/desk/submissions/' + id + '/pages/';
    fields.forEach((field) => {
      field.tabIndex = -1;
      if (field.dataset.review) showCrop(field, pages);
      field.addEventListener('focusin', () => showCrop(field, pages));
      field.addEventListener('click', () => showCrop(field, pages));
    });

    function control(field) { return field.querySelector('input, select, textarea'); }

    function focusField(index) {
      if (fields.length === 0) return;
      current = Math.max(0, Math.min(fields.length - 1, index));
      fields[current].focus();
      fields[current].scrollIntoView({ block: 'nearest' });
    }

    function nextFlagged(from) {
      for (let i = from + 1; i < fields.length; i++) {
        if (fields[i].dataset.review && !fields[i].classList.contains('accepted')) return i;
      }
      return -1;
    }

    async function save() {
      if (changed.size === 0) { say(message, 'Nie ma zmian do zapisania.'); return; }
      const body = {};
      try {
        changed.forEach((name) => { body[name] = valueOf(document.getElementById('f-' + name)); });
      } catch (e) {
        say(message, 'Lista ma niepoprawny zapis (oczekiwano JSON).', true);
        return;
      }
      say(message, 'Zapisywanie…');
      const reply = await callApi('PATCH', api + '/fields', body);
      if (reply.status !== 200) { say(message, 'Nie zapisano: ' + problem(reply), true); return; }
      sessionStorage.setItem('desk-message', 'Zapisano poprawki. Decyzja wyliczona na nowo.');
      window.location.reload();
    }

    async function approve() {
      const reply = await callApi('POST', api + '/approve');
      if (reply.status !== 200) { say(message, 'Nie zatwierdzono: ' + problem(reply), true); return; }
      say(document.getElementById('review-state'), 'zatwierdzone');
      say(message, 'Zatwierdzono (wersja ' + reply.json.approved_version + ').');
    }

    fields.forEach((field, index) => {
      const c = control(field);
      if (!c) return;
      c.addEventListener('focus', () => { current = index; });
      const mark = () => {
        changed.add(c.name);
        field.classList.add('changed');
        if (saveButton) saveButton.disabled = false;
      };
      c.addEventListener('input', mark);
      c.addEventListener('change', mark);
    });
    if (saveButton) saveButton.addEventListener('click', save);
    const approveButton = document.getElementById('approve');
    if (approveButton) approveButton.addEventListener('click', approve);

    const delivery = document.getElementById('delivery');
    if (delivery) {
      delivery.addEventListener('submit', async (event) => {
        event.preventDefault();
        const reply = await callApi('POST', api + '/delivery', { date: delivery.elements.date.value });
        if (reply.status !== 200) { say(message, 'Nie zapisano daty: ' + problem(reply), true); return; }
        sessionStorage.setItem('desk-message',
          'Zapisano datę doręczenia; termin upływa ' + reply.json.term_end + '.');
        window.location.reload();
      });
    }

    document.addEventListener('keydown', (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      const typing = target.matches && target.matches('input, select, textarea');
      if (typing) {
        if (event.key === 'Escape') { event.preventDefault(); focusField(current); }
        if (event.key === 'Enter' && target.tagName !== 'TEXTAREA' && record.contains(target)) {
          event.preventDefault();
          save();
        }
        return;
      }
      const onField = fields.indexOf(target);
      if (onField >= 0) current = onField;
      switch (event.key) {
        case 'j': event.preventDefault(); focusField(current + 1); break;
        case 'k': event.preventDefault(); focusField(current - 1); break;
        case 'Enter':
          if (onField >= 0 && control(fields[onField])) { event.preventDefault(); control(fields[onField]).focus(); }
          break;
        case 'a':
          if (current >= 0) {
            event.preventDefault();
            fields[current].classList.add('accepted');
            const next = nextFlagged(current);
            focusField(next >= 0 ? next : current + 1);
          }
          break;
        case 'z': if (approveButton) { event.preventDefault(); approve(); } break;
        case 'n':
          if (record.dataset.next) { event.preventDefault(); window.location.href = record.dataset.next; }
          break;
        default: break;
      }
    });

    const carried = sessionStorage.getItem('desk-message');
    if (carried) { sessionStorage.removeItem('desk-message'); say(message, carried); }
    const first = nextFlagged(-1);
    if (first >= 0) focusField(first);
  }

  // ---- uploads ---------------------------------------------------------------

  function upload(file, extra, onProgress) {
    return new Promise((resolve) => {
      const data = new FormData();
      Object.entries(extra || {}).forEach(([k, v]) => data.append(k, v));
      data.append('file', file, file.name);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/v1/submissions');
      xhr.setRequestHeader('X-CSRF-Token', csrf);
      xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); });
      xhr.addEventListener('load', () => {
        let json = null;
        try { json = JSON.parse(xhr.responseText); } catch (e) { json = null; }
        resolve({ status: xhr.status, json });
      });
      xhr.addEventListener('error', () => resolve({ status: 0, json: null }));
      xhr.send(data);
    });
  }

  function resultLine(item, reply) {
    const status = item.querySelector('.state');
    if (reply.status === 201 || reply.status === 200) {
      status.textContent = reply.json.duplicate_of ? 'duplikat zgłoszenia ' : 'przyjęto: ';
      const link = document.createElement('a');
      link.href = '/desk/submissions/' + (reply.json.duplicate_of || reply.json.id);
      link.textContent = reply.json.case_sign;
      status.appendChild(link);
      item.classList.add('done');
    } else {
      status.textContent = problem(reply);
      item.classList.add('failed');
    }
  }

  function uploadAll(files) {
    const list = document.getElementById('uploads');
    Array.from(files).forEach(async (file) => {
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.textContent = file.name;
      const bar = document.createElement('progress');
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute('aria-label', 'Postęp: ' + file.name);
      const state = document.createElement('span');
      state.className = 'state';
      state.textContent = 'wysyłanie…';
      item.append(name, bar, state);
      list.appendChild(item);
      const reply = await upload(file, {}, (p) => { bar.value = Math.round(p * 100); });
      bar.value = 100;
      resultLine(item, reply);
    });
  }

  function initUpload() {
    const drop = document.getElementById('drop');
    const input = document.getElementById('files');
    ['dragenter', 'dragover'].forEach((type) => drop.addEventListener(type, (e) => {
      e.preventDefault();
      drop.classList.add('over');
    }));
    ['dragleave', 'drop'].forEach((type) => drop.addEventListener(type, () => drop.classList.remove('over')));
    drop.addEventListener('drop', (e) => { e.preventDefault(); uploadAll(e.dataTransfer.files); });
    input.addEventListener('change', () => { uploadAll(input.files); input.value = ''; });

    const postal = document.getElementById('postal');
    postal.addEventListener('submit', async (event) => {
      event.preventDefault();
      const status = document.getElementById('postal-status');
      const file = postal.elements.file.files[0];
      if (!file) { say(status, 'Wybierz skan karty.', true); return; }
      say(status, 'Wysyłanie…');
      const reply = await upload(file, { channel: 'post', postmark_date: postal.elements.postmark_date.value },
        () => {});
      if (reply.status === 201 || reply.status === 200) {
        say(status, 'Zarejestrowano zgłoszenie pocztowe, znak sprawy ' + reply.json.case_sign + '.');
        postal.reset();
      } else {
        say(status, problem(reply), true);
      }
    });
  }

  const record = document.querySelector('.record');
  if (record) initRecord(record);
  if (document.getElementById('drop')) initUpload();
}());
