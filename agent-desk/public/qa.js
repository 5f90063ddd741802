// QA scoring on the recordings page (质检评分): a supervisor's to-score list (待评分) and the scorecard filled while the
// recording plays; a lawyer sees the score of their own call. The server computes the total that counts; the
// preview here is the same arithmetic. Uses the page helpers of recordings.js ($, api, play, cst).
/* global $, api, play, cst */
'use strict';

const SCORE_MAX = 5;
const ORIGIN = { sample: '随机抽样', picked: '自选' };
const CHOICES = {
  score: [...Array(SCORE_MAX + 1).keys()].reverse().map((n) => [String(n), `${n} 分`]),
  phrase_used: [['true', '已使用'], ['false', '未使用']],
  phrase_avoided: [['true', '未出现禁语'], ['false', '出现禁语']],
};
let me = null;
let card = null;
let current = null;

async function send(method, url, body) {
  const res = await fetch(url, { method, credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await res.json();
  if (!res.ok) throw Object.assign(new Error(data.message || `错误 ${res.status}`), { details: data.details || [] });
  return data;
}

function renderCard() {
  $('qa-card-name').textContent = card.name;
  const rows = card.criteria.map((c) => {
    const tr = document.createElement('tr');
    tr.dataset.id = c.id;
    const label = document.createElement('td');
    label.textContent = c.label;
    if (c.phrases && c.phrases.length) {
      const small = document.createElement('small');
      small.textContent = `${c.kind === 'phrase_avoided' ? '禁语' : '规范用语'}：${c.phrases.join('、')}`;
      label.append(small);
    }
    const weight = document.createElement('td');
    weight.textContent = String(c.weight);
    const sel = document.createElement('select');
    sel.name = c.id;
    sel.add(new Option('请选择', ''));
    for (const [v, text] of CHOICES[c.kind]) sel.add(new Option(text, v));
    const td = document.createElement('td');
    td.append(sel);
    tr.append(label, weight, td);
    return tr;
  });
  $('qa-criteria').replaceChildren(...rows);
}

function answers() {
  const out = {};
  for (const c of card.criteria) {
    const v = $('qa-form').elements[c.id].value;
    if (v !== '') out[c.id] = c.kind === 'score' ? Number(v) : v === 'true';
  }
  return out;
}

function preview() {
  const a = answers();
  if (Object.keys(a).length < card.criteria.length) { $('qa-total').textContent = '—'; return; }
  const weights = card.criteria.reduce((s, c) => s + c.weight, 0);
  const earned = card.criteria.reduce((s, c) => s + (c.kind === 'score' ? (c.weight * a[c.id]) / SCORE_MAX : a[c.id] ? c.weight : 0), 0);
  $('qa-total').textContent = String(Math.round((earned / weights) * 10000) / 100);
}

function fill(score) {
  for (const c of card.criteria) {
    const v = score ? score.answers[c.id] : undefined;
    $('qa-form').elements[c.id].value = v === undefined ? '' : String(v);
  }
  $('qa-form').elements.comment.value = (score && score.comment) || '';
  preview();
}

function describe(s) {
  return `已评分：${s.total} 分（评分人 ${s.scorer}，${cst(s.scoredAt)}${s.sampled ? '，随机抽样' : ''}）${s.comment ? `，评语：${s.comment}` : ''}`;
}

/** The recording of `it` was opened: show its call's scorecard (and any score it has). */
async function openCall(it) {
  current = it;
  $('qa-panel').hidden = false;
  $('qa-form').hidden = me.role !== 'supervisor';
  $('qa-form-error').textContent = '';
  for (const tr of $('qa-criteria').children) tr.classList.remove('bad');
  const r = await api(`/api/qa/scores?callId=${encodeURIComponent(it.callId)}`);
  const score = r.items.find((s) => s.scorecardId === card.id) || null;
  fill(score);
  $('qa-existing').textContent = score ? describe(score) : me.role === 'supervisor' ? '' : '该通话尚未质检评分';
}

async function save(ev) {
  ev.preventDefault();
  if (!current) return;
  $('qa-form-error').textContent = '';
  for (const tr of $('qa-criteria').children) tr.classList.remove('bad');
  $('qa-save').disabled = true;
  try {
    const s = await send('POST', '/api/qa/scores', { callId: current.callId, answers: answers(), comment: $('qa-form').elements.comment.value || null });
    $('qa-existing').textContent = describe(s).replace('已评分', '已保存');
    $('qa-total').textContent = String(s.total);
    await loadTodo();
  } catch (err) {
    const labels = Object.fromEntries(card.criteria.map((c) => [`answers.${c.id}`, c.label]));
    const lines = (err.details || []).map((d) => {
      const row = $('qa-criteria').querySelector(`tr[data-id="${d.field.replace(/^answers\./, '')}"]`);
      if (row) row.classList.add('bad');
      return `${labels[d.field] || d.field}：${d.message === 'is required' ? '请选择' : d.message}`;
    });
    $('qa-form-error').textContent = `保存失败：${lines.length ? lines.join('；') : err.message}`;
  } finally {
    $('qa-save').disabled = false;
  }
}

async function loadTodo() {
  if (me.role !== 'supervisor') return;
  const r = await api('/api/qa/assignments');
  $('qa-todo-count').textContent = `（${r.items.length} 条）`;
  $('qa-todo-rows').replaceChildren(...r.items.map((a) => {
    const tr = document.createElement('tr');
    tr.dataset.callId = a.callId;
    for (const text of [a.sampleDate, cst(a.answeredAt), a.callerNumber || '—', a.staffNo || '—', ORIGIN[a.reason] || a.reason]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    const td = document.createElement('td');
    if (a.recordingId) {
      const b = document.createElement('button');
      b.textContent = '听录音评分';
      b.className = 'score';
      b.addEventListener('click', async () => {
        try { await play((await api(`/api/recordings/${a.recordingId}`)).recording); } catch (err) { $('rec-error').textContent = `操作失败：${err.message}`; }
      });
      td.append(b);
    } else td.textContent = '无录音';
    tr.append(td);
    return tr;
  }));
  if (!r.items.length) {
    const td = Object.assign(document.createElement('td'), { colSpan: 6, className: 'muted', textContent: '暂无待评分通话' });
    const tr = document.createElement('tr');
    tr.append(td);
    $('qa-todo-rows').append(tr);
  }
}

async function init() {
  try {
    me = await api('/api/me');
    card = await api('/api/qa/scorecard');
  } catch (err) { $('rec-error').textContent = `质检评分表加载失败：${err.message}`; return; }
  renderCard();
  $('qa-form').addEventListener('change', preview);
  $('qa-form').addEventListener('submit', save);
  document.addEventListener('recording-opened', (ev) => openCall(ev.detail).catch((err) => { $('qa-form-error').textContent = err.message; }));
  $('qa-todo').hidden = me.role !== 'supervisor';
  await loadTodo().catch((err) => { $('rec-error').textContent = `待评分列表加载失败：${err.message}`; });
  document.body.dataset.qaReady = '1';
}

init();
