// 办后事项: the actions on the lists — move (改约), cancel and attendance of appointments; the next step of a legal-aid
// application (supervisors); assign, forward, reply by callback and close of tickets. Each asks for what the step
// needs and reports the server's answer; after-call.js calls actionsFor() while drawing the lists.
'use strict';

window.ACTIONS = (() => {
  const ask = (text, def = '') => { const v = window.prompt(text, def); return v === null ? undefined : v.trim(); };
  const ok = (msg) => { document.getElementById('ac-action-result').textContent = msg; };
  let moving;

  /** Buttons for one row: [label, handler] pairs. `api` and `refresh` come from after-call.js. */
  function actionsFor(kind, item, ctx) {
    const act = async (fn, done) => {
      try { await fn(); ok(done); await ctx.refresh(); } catch (e) { ok(e.message); }
    };
    const out = [];
    if (kind === 'appointment' && item.status === 'booked') {
      out.push(['改约', () => {
        moving = item.id;
        ok(`改约：请在上方“办事预约”中查询并选择新的时段，然后点“预约”（原预约 ${item.serviceName} 将改到新时段）`);
      }]);
      out.push(['取消', () => act(() => ctx.api('POST', `/api/appointments/${item.id}/cancel`), '已取消预约')]);
      out.push(['到场', () => act(() => ctx.api('POST', `/api/appointments/${item.id}/attendance`, { kept: true }), '已登记到场')]);
      out.push(['未到场', () => act(() => ctx.api('POST', `/api/appointments/${item.id}/attendance`, { kept: false }), '已登记未到场')]);
    }
    if (kind === 'legal-aid' && ctx.supervisor) {
      const step = (to, body, done) => act(() => ctx.api('POST', `/api/legal-aid/${item.id}/status`, { to, ...body }), done);
      if (item.status === 'received') out.push(['开始审查', () => step('under_review', {}, '已转入审查')]);
      if (item.status === 'under_review') {
        out.push(['批准', () => step('approved', {}, '已批准')]);
        out.push(['不予援助', () => { const reason = ask('不予法律援助的理由：'); if (reason) void step('refused', { reason }, '已决定不予援助'); }]);
      }
      if (item.status === 'approved') out.push(['指派律师', () => { const lawyer = ask('指派的律师（姓名或工号）：'); if (lawyer) void step('lawyer_assigned', { lawyer }, '已指派律师'); }]);
    }
    if (kind === 'ticket' && item.status !== 'closed') {
      if (ctx.supervisor) out.push(['交办', () => { const handler = ask('承办人工号：'); if (handler) void act(() => ctx.api('POST', `/api/tickets/${item.id}/assign`, { handler }), '已交办'); }]);
      out.push(['转办', () => {
        const department = ask('转办给哪个部门：'); if (!department) return;
        const note = ask('转办说明：'); if (note) void act(() => ctx.api('POST', `/api/tickets/${item.id}/forward`, { department, note }), '已转办');
      }]);
      out.push(['答复回电', () => { const reply = ask('答复内容（将回电告知来电人）：'); if (reply) void act(() => ctx.api('POST', `/api/tickets/${item.id}/callback`, { reply }), '已安排回电答复'); }]);
      if (item.status === 'replied') {
        out.push(['办结', () => {
          const r = ask('来电人评价：1 满意，2 基本满意，3 不满意', '1');
          const rating = { 1: 'satisfied', 2: 'basically_satisfied', 3: 'dissatisfied' }[r];
          if (rating) void act(() => ctx.api('POST', `/api/tickets/${item.id}/close`, { rating }), '已办结');
        }]);
      }
    }
    return out;
  }

  /** The appointment being moved, if 改约 was chosen (the booking form then moves it instead of booking anew). */
  function takeMove() { const m = moving; moving = undefined; return m; }
  return { actionsFor, takeMove };
})();
