// The kotovec explorer: talks to the JSON API of `kotovec serve` and keeps what it shows in the address
// (?model=&word=&scope=&size=&method=&a=&b=&c=), so a view can be shared. Every word and document id is
// put on the page as text (textContent), never as HTML: a vocabulary comes from files anyone can write.
import { drawMap } from './map.js';

const $ = (id) => document.getElementById(id);
const state = { model: '', word: '', scope: 'word', size: '100', method: 'pca', a: '', b: '', c: '' };
let models = [];

/** GET or POST a route of the API; resolves with the JSON answer or throws an Error with the server's message. */
async function api(path, params = {}, body) {
  const query = new URLSearchParams({ ...(state.model ? { model: state.model } : {}), ...params });
  const response = await fetch(`${path}?${query}`, body === undefined ? {} : {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...body, model: state.model }),
  });
  const answer = await response.json();
  if (!response.ok) throw Object.assign(new Error(answer.error || response.statusText), { code: answer.code, status: response.status });
  return answer;
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

/** Writes the state into the address without a page load (push: a step the back button returns to). */
function saveState(push) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    if (value && !(key === 'scope' && value === 'word') && !(key === 'size' && value === '100') && !(key === 'method' && value === 'pca')) params.set(key, value);
  }
  const url = `${location.pathname}${params.size ? `?${params}` : ''}`;
  if (url !== `${location.pathname}${location.search}`) history[push ? 'pushState' : 'replaceState'](null, '', url);
}

function loadState() {
  const params = new URLSearchParams(location.search);
  for (const key of Object.keys(state)) state[key] = params.get(key) ?? (key === 'scope' ? 'word' : key === 'size' ? '100' : key === 'method' ? 'pca' : '');
}

/** A list item: label, similarity number and a bar as long as the similarity. */
function resultRow(label, similarity, onClick) {
  const bar = el('span', { class: 'bar' });
  bar.style.width = `${Math.max(0, similarity) * 100}%`;
  const name = onClick ? el('button', { class: 'link', type: 'button', text: label, onclick: onClick }) : el('span', { class: 'label', text: label });
  return el('li', {}, name, el('span', { class: 'score', text: similarity.toFixed(3) }), el('span', { class: 'track' }, bar));
}

function describeQuery(terms) {
  const read = terms
    .filter((t) => t.tokens.length !== 1 || t.tokens[0] !== t.text)
    .map((t) => `“${t.text}” read as ${t.tokens.join(' ')}${t.unknown.length ? ` (not in the model: ${t.unknown.join(' ')})` : ''}`);
  // A subword model answers words it does not hold from their character n-grams.
  const composed = terms.flatMap((t) => t.composed ?? []);
  if (composed.length) read.push(`not in the vocabulary, composed from character n-grams: ${composed.join(' ')}`);
  return read.join('; ');
}

async function showNeighbours() {
  const list = $('neighbours');
  list.replaceChildren();
  $('read-as').textContent = '';
  showError('');
  if (!state.word) return;
  $('search').value = state.word;
  try {
    const answer = await api('/api/similar', { word: state.word, k: 20 });
    $('read-as').textContent = describeQuery(answer.query);
    list.replaceChildren(...answer.results.map((r) => resultRow(r.word, r.similarity, () => go(r.word))));
  } catch (error) {
    showError(error.message);
  }
}

async function showMap() {
  const svg = $('map');
  const params = { method: state.method };
  if (state.scope === 'word' && state.word) Object.assign(params, { word: state.word, k: Math.max(1, Number(state.size) - 1) });
  else Object.assign(params, { top: state.size });
  $('map-title').textContent = params.word ? `Around “${state.word}”` : `The ${state.size} most frequent words`;
  svg.classList.add('busy');
  try {
    const answer = await api('/api/projection', params);
    drawMap(svg, answer.points, { centre: params.word ? answer.points[0]?.word : undefined, onPick: (word) => go(word) });
  } catch (error) {
    showError(error.message);
  } finally {
    svg.classList.remove('busy');
  }
}

async function showAnalogy() {
  const list = $('analogy-results');
  list.replaceChildren();
  const { a, b, c } = state;
  $('analogy-a').value = a;
  $('analogy-b').value = b;
  $('analogy-c').value = c;
  if (!a || !b || !c) return;
  try {
    const answer = await api('/api/analogy', { a, b, c, k: 10 });
    list.replaceChildren(...answer.results.map((r) => resultRow(r.word, r.similarity, () => go(r.word))));
  } catch (error) {
    list.replaceChildren(el('li', { class: 'error', text: error.message }));
  }
}

/** Shows a word: its neighbours and its map, as a new step in the history. */
function go(word) {
  state.word = word;
  saveState(true);
  void showNeighbours();
  void showMap();
}

function modelChanged() {
  const model = models.find((m) => m.name === state.model) ?? models[0];
  if (!model) return;
  state.model = model.name;
  $('model').value = model.name;
  const docs = model.documents ? `, ${model.documents.toLocaleString('en')} documents` : '';
  const phrases = model.tokenizer?.phrases?.phrases?.reduce((a, b) => a + b, 0);
  $('model-info').textContent = `${model.kind} · ${model.words.toLocaleString('en')} words × ${model.dim}${docs}${phrases ? ` · ${phrases.toLocaleString('en')} phrases` : ''}`;
  // A model with phrases reads a typed phrase as one word: the hint shows one.
  $('search').placeholder = model.phraseExample ? `e.g. king, or ${model.phraseExample}` : 'e.g. king';
  $('docs-panel').hidden = !model.canInfer;
}

/** Completion: the most frequent words that start with what is typed. */
function setUpCompletion() {
  const input = $('search');
  const list = $('completions');
  let active = -1;
  let timer;
  const close = () => {
    list.hidden = true;
    active = -1;
  };
  const choose = (word) => {
    input.value = word;
    close();
    go(word);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const prefix = input.value;
    if (!prefix.trim()) return close();
    timer = setTimeout(async () => {
      try {
        const { words } = await api('/api/words', { prefix, limit: 8 });
        if (input.value !== prefix) return;
        list.replaceChildren(...words.map(({ word }) => el('li', { role: 'option', text: word, onmousedown: (e) => { e.preventDefault(); choose(word); } })));
        list.hidden = words.length === 0;
        active = -1;
      } catch {
        close();
      }
    }, 80);
  });
  input.addEventListener('keydown', (event) => {
    const items = [...list.children];
    if (list.hidden || items.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      active = (active + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      items.forEach((item, i) => item.setAttribute('aria-selected', String(i === active)));
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      choose(items[active].textContent);
    } else if (event.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
}

async function start() {
  loadState();
  setUpCompletion();
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const word = $('search').value.trim();
    if (word) go(word);
  });
  $('analogy-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.a = $('analogy-a').value.trim();
    state.b = $('analogy-b').value.trim();
    state.c = $('analogy-c').value.trim();
    saveState(true);
    void showAnalogy();
  });
  $('docs-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('docs-text').value;
    const list = $('docs-results');
    list.replaceChildren();
    $('docs-read').textContent = '';
    if (!text.trim()) return;
    try {
      const answer = await api('/api/infer', {}, { text, k: 10 });
      $('docs-read').textContent = `${answer.tokens.length} words used${answer.unknown.length ? `, ${answer.unknown.length} not in the model` : ''}`;
      list.replaceChildren(...answer.similar.map((d) => resultRow(d.id, d.similarity)));
    } catch (error) {
      list.replaceChildren(el('li', { class: 'error', text: error.message }));
    }
  });
  for (const [id, key] of [['map-scope', 'scope'], ['map-size', 'size'], ['map-method', 'method']]) {
    $(id).value = state[key];
    $(id).addEventListener('change', () => {
      state[key] = $(id).value;
      saveState(false);
      void showMap();
    });
  }
  $('model').addEventListener('change', () => {
    state.model = $('model').value;
    modelChanged();
    saveState(true);
    void refresh();
  });
  window.addEventListener('popstate', () => {
    loadState();
    modelChanged();
    void refresh();
  });
  try {
    ({ models } = await api('/api/models'));
  } catch (error) {
    showError(`cannot reach the server: ${error.message}`);
    return;
  }
  $('model').replaceChildren(...models.map((m) => el('option', { value: m.name, text: m.name })));
  modelChanged();
  await refresh();
  document.body.dataset.ready = 'true';
}

async function refresh() {
  await Promise.all([showNeighbours(), showMap(), showAnalogy()]);
}

void start();
