/* global document, window, fetch */
// The simulated caller's phone: POST /sim/calls to dial 12348, /sim/calls/:id/dtmf for keys, /sim/calls/:id/hangup,
// and GET /sim/calls/:id twice a second for the state and what the caller heard.
'use strict';

const $ = (id) => document.getElementById(id);
let callId = null;
let timer = null;
/** Prompt id -> the words (from /sim/phone/prompts.json); ids are shown when it is missing. */
let texts = {};

async function sim(method, url, body) {
  const res = await fetch(url, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!res.ok) throw new Error((data && data.message) || `HTTP ${res.status}`);
  return data;
}

function label(media) {
  if (media.startsWith('moh:')) return '（等待音乐）';
  if (media.startsWith('tone:')) return `（提示音 ${media.slice(5)}）`;
  if (media.startsWith('digits:')) return `（读数字 ${media.slice(7)}）`;
  if (media.startsWith('number:')) return `（读数 ${media.slice(7)}）`;
  const id = media.replace(/^sound:/, '').replace(/^(zh|en)\//, '');
  return texts[id] ? `${texts[id]}（${id}）` : id;
}

function show(state) {
  $('status').textContent = state.hungUp ? '已挂断' : state.bridgedWith.length ? '通话中（已接通律师）' : state.state === 'Up' ? '通话中' : '呼叫中';
  const list = $('heard');
  list.replaceChildren();
  for (const h of state.heard) {
    const li = document.createElement('li');
    li.textContent = label(h.media);
    li.dataset.media = h.media;
    if (!h.finishedAt && !state.hungUp) li.className = 'playing';
    list.append(li);
  }
  if (state.hungUp) ended();
}

function ended() {
  if (timer) window.clearInterval(timer);
  timer = null;
  callId = null;
  $('dial').disabled = false;
  $('hangup').disabled = true;
}

async function poll() {
  if (!callId) return;
  try { show(await sim('GET', `/sim/calls/${encodeURIComponent(callId)}`)); } catch (err) { $('error').textContent = err.message; }
}

async function dial() {
  $('error').textContent = '';
  $('pressed').textContent = '';
  try {
    const r = await sim('POST', '/sim/calls', { from: $('from').value.trim(), to: '12348' });
    callId = r.id;
    document.body.dataset.callId = callId;
    $('dial').disabled = true;
    $('hangup').disabled = false;
    $('status').textContent = '呼叫中';
    timer = window.setInterval(poll, 500);
    void poll();
  } catch (err) {
    $('error').textContent = `拨打失败：${err.message}`;
  }
}

async function press(key) {
  if (!callId) return;
  $('pressed').textContent += key;
  try { await sim('POST', `/sim/calls/${encodeURIComponent(callId)}/dtmf`, { digits: key }); } catch (err) { $('error').textContent = err.message; }
}

async function hangup() {
  if (!callId) return;
  try { await sim('POST', `/sim/calls/${encodeURIComponent(callId)}/hangup`); } catch (err) { $('error').textContent = err.message; }
  await poll();
}

document.addEventListener('DOMContentLoaded', () => {
  sim('GET', '/sim/phone/prompts.json').then((t) => { texts = t; }, () => undefined);
  $('dial').addEventListener('click', dial);
  $('hangup').addEventListener('click', hangup);
  for (const b of $('keypad').querySelectorAll('button')) b.addEventListener('click', () => press(b.dataset.key));
  document.addEventListener('keydown', (ev) => { if (/^[0-9*#]$/.test(ev.key) && ev.target.tagName !== 'INPUT') void press(ev.key); });
});
