// The front desk's printable day list of appointments (GET /api/appointments?date=...), by time.
'use strict';

const $ = (id) => document.getElementById(id);
const STATUS = { booked: '', cancelled: '已取消', kept: '已到场', no_show: '未到场' };

async function load(date) {
  $('dl-title').textContent = `${date} 预约名单`;
  const res = await fetch(`/api/appointments?date=${date}&limit=500`, { credentials: 'same-origin' });
  const body = $('dl-list').tBodies[0];
  body.replaceChildren();
  if (!res.ok) { $('dl-title').textContent = '请先登录坐席'; return; }
  for (const a of (await res.json()).items) {
    const tr = document.createElement('tr');
    const t = new Date(a.startsAt).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
    for (const c of [t, a.serviceName, a.room, a.callerName ?? '', a.callerNumber, STATUS[a.status]]) {
      const td = document.createElement('td'); td.textContent = c; tr.append(td);
    }
    body.append(tr);
  }
}

const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const date = new URLSearchParams(location.search).get('date') ?? today;
$('dl-date').value = date;
$('dl-date').addEventListener('change', () => load($('dl-date').value));
$('dl-print').addEventListener('click', () => window.print());
load(date);
