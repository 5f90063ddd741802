/* global ACTIONS -- defined by after-call-actions.js, loaded first */
// 办后事项 page: appointments, legal-aid applications and complaint / supervision tickets, linked to the call the
// lawyer is handling (GET /api/handling). Same session cookie as the desk page; every text shown is Chinese.
'use strict';

const STATUS = {
  booked: '已预约', cancelled: '已取消', kept: '已到场', no_show: '未到场',
  received: '已受理', under_review: '审查中', approved: '已批准', refused: '不予援助', lawyer_assigned: '已指派律师',
  open: '待交办', in_progress: '办理中', replied: '已答复', closed: '已办结',
  planned: '待拨打', answered: '已接听', no_answer: '无人接听', busy: '占线', failed: '未拨通',
};
const $ = (id) => document.getElementById(id);
const time = (iso) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

async function api(method, url, body) {
  const res = await fetch(url, {
    method, credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const fields = data?.details?.map((d) => d.field).join('、');
    throw new Error(fields ? `填写有误：${fields}` : res.status === 409 ? '冲突：该时段已满或状态已变' : `失败（${res.status}）`);
  }
  return data;
}

function formBody(form, skip = []) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || skip.includes(el.name)) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.value.trim() !== '') out[el.name] = el.type === 'number' ? Number(el.value) : el.value.trim();
  }
  return out;
}

const callId = () => $('ac-call').value || undefined;

let supervisor = false;

function row(tbody, cells, cls, actions = []) {
  const tr = document.createElement('tr');
  if (cls) tr.className = cls;
  for (const c of cells) { const td = document.createElement('td'); td.textContent = c ?? '—'; tr.append(td); }
  const td = document.createElement('td');
  for (const [label, fn] of actions) {
    const b = document.createElement('button'); b.type = 'button'; b.textContent = label; b.className = 'ac-action';
    b.addEventListener('click', fn);
    td.append(b);
  }
  tr.append(td);
  tbody.append(tr);
}

const acts = (kind, item) => ACTIONS.actionsFor(kind, item, { api, refresh: refreshLists, supervisor });

async function refreshLists() {
  const [ap, la, tk] = await Promise.all([api('GET', '/api/appointments?limit=100'), api('GET', '/api/legal-aid?limit=100'), api('GET', '/api/tickets?limit=100')]);
  const apBody = $('ap-list').tBodies[0]; apBody.replaceChildren();
  for (const a of ap.items) row(apBody, [time(a.startsAt), a.serviceName, a.room, `${a.callerName ?? ''} ${a.callerNumber}`, STATUS[a.status], STATUS[a.reminderStatus] ?? '—'], '', acts('appointment', a));
  const laBody = $('la-list').tBodies[0]; laBody.replaceChildren();
  for (const a of la.items) row(laBody, [a.caseNumber, a.applicantName, STATUS[a.status], a.stepDue, a.decisionDue, a.overdue ? '超期' : ''], a.overdue ? 'ac-overdue' : '', acts('legal-aid', a));
  const tkBody = $('tk-list').tBodies[0]; tkBody.replaceChildren();
  for (const t of tk.items) row(tkBody, [t.id, t.kind === 'complaint' ? '投诉' : '监督', t.summary, t.handler ?? t.department, t.dueDate, STATUS[t.status], t.overdue ? '超期' : ''], t.overdue ? 'ac-overdue' : '', acts('ticket', t));
}

async function banner() {
  const cal = await api('GET', '/api/calendar');
  const b = $('ac-banner');
  b.hidden = cal.warnings.length === 0;
  b.textContent = cal.warnings.map((w) => (w.year ? `节假日数据缺失：${w.year}年的国务院节假日安排尚未载入，工作日将无法准确计算，请管理员尽快载入。` : '节假日数据文件有误，未能载入。')).join(' ');
}

async function start() {
  let me;
  try { me = await api('GET', '/api/me'); } catch { $('ac-login').hidden = false; return; }
  $('ac-me').textContent = `${me.name}（工号 ${me.staffNo}）`;
  supervisor = me.role === 'supervisor';
  await banner();
  const calls = await api('GET', '/api/handling').catch(() => []);
  for (const c of calls) {
    const o = document.createElement('option');
    o.value = c.callId; o.textContent = `${c.callerNumber}（${c.state === 'ended' ? '已挂断' : '通话中'}）`;
    $('ac-call').append(o);
  }
  if (calls.length) $('ac-call').value = calls[0].callId;
  // Shown once the call being handled is chosen, so nothing is filed against no call.
  $('ac-main').hidden = false;
  const services = await api('GET', '/api/appointment-services');
  const sel = $('ap-form').elements.service;
  for (const s of services) { const o = document.createElement('option'); o.value = s.code; o.textContent = `${s.name}（${s.place}）`; sel.append(o); }

  $('ap-find').addEventListener('click', async () => {
    const f = $('ap-form');
    const box = $('ap-slots'); box.replaceChildren();
    try {
      const slots = await api('GET', `/api/appointment-slots?service=${encodeURIComponent(f.elements.service.value)}&date=${f.elements.date.value}`);
      if (!slots.length) box.textContent = '当天不办公或已约满';
      for (const s of slots) {
        const l = document.createElement('label');
        const r = document.createElement('input'); r.type = 'radio'; r.name = 'slotId'; r.value = s.id;
        l.append(r, ` ${time(s.startsAt).slice(-8, -3)} ${s.room}（余${s.free}）`);
        box.append(l);
      }
    } catch (e) { box.textContent = e.message; }
  });
  $('ap-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = ev.target;
    const slot = f.querySelector('input[name=slotId]:checked');
    if (!slot) { $('ap-result').textContent = '请先选择时段'; return; }
    try {
      const b = formBody(f, ['service', 'date', 'slotId']);
      const moving = ACTIONS.takeMove();
      const a = moving
        ? await api('PATCH', `/api/appointments/${moving}`, { slotId: slot.value })
        : await api('POST', '/api/appointments', { ...b, slotId: slot.value, callId: callId() });
      $('ap-result').textContent = `${moving ? '已改约' : '已预约'}：${a.serviceName} ${time(a.startsAt)}，${a.place}（${a.room}）`;
      await refreshLists();
    } catch (e) { $('ap-result').textContent = e.message; }
  });
  $('la-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const b = formBody(ev.target, ['documentsMissing', 'exemptGroup']);
    const f = ev.target;
    b.documentsMissing = f.elements.documentsMissing.value.split('\n').map((x) => x.trim()).filter(Boolean);
    if (f.elements.exemptGroup.value) b.exemptGroup = f.elements.exemptGroup.value;
    try {
      const a = await api('POST', '/api/legal-aid', { ...b, callId: callId() });
      $('la-result').textContent = `已登记，案件编号 ${a.caseNumber}（请告知来电人，可拨打12348按2再按5查询进度）；审查决定期限 ${a.decisionDue}`;
      await refreshLists();
    } catch (e) { $('la-result').textContent = e.message; }
  });
  $('tk-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const t = await api('POST', '/api/tickets', { ...formBody(ev.target), callId: callId() });
      $('tk-result').textContent = `已登记，编号 ${t.id}，办理期限 ${t.dueDate}${t.handler ? `，承办人 ${t.handler}` : ''}`;
      await refreshLists();
    } catch (e) { $('tk-result').textContent = e.message; }
  });
  $('ac-refresh').addEventListener('click', () => refreshLists());
  await refreshLists();
}

start();
