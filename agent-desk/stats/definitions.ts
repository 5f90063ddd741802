// Every figure the statistics page, the exports, the wallboard and the monthly report show, with its definition in
// the words a centre uses. One list, so that a number can never appear anywhere without saying what it counts; the
// SQL that computes them is migrations/Migration20261126130000_stats.ts (call_line_facts) and stats/query.ts.

export interface FigureDef { key: string; label: string; unit: '' | '%' | 's' | '次' | '分'; definition: string }

const def = (key: string, label: string, unit: FigureDef['unit'], definition: string): FigureDef => ({ key, label, unit, definition });

export const FIGURES: FigureDef[] = [
  def('offered', '呼入量', '次',
    '进入人工排队（或被接听）且已有结果（已接听或已结束）的呼入电话，按来电到达时间计入时段；仍在排队的电话不计入（见实时大屏）。中心回拨的外呼电话不计入。跨零点的电话计入到达当日。转线电话只在最初进入的服务类别计一次。'),
  def('answered', '接通量', '次', '呼入量中由律师接听的电话（首次接听）。'),
  def('abandoned', '放弃量', '次', '呼入量中未被接听、来电人在排队中挂机的电话（end_reason = abandoned_in_queue）。'),
  def('abandoned15s', '15秒内放弃', '次', '放弃量中自进入排队起15秒内（含15秒）挂机的电话，单独列出，不从呼入量中扣除。'),
  def('unansweredOther', '其他未接通', '次', '呼入量中既未接听也非排队放弃的电话（转留言、超时转语音信箱、系统故障等）。'),
  def('connectionRate', '接通率', '%', '接通量 ÷ 呼入量（GB/T 33358-2016 口径，目标 ≥ 95%）。'),
  def('serviceLevel', '服务水平（15秒接通率）', '%', '自进入排队起15秒内（含）接听的电话 ÷ 呼入量。15秒内放弃的电话留在分母中（国家标准口径：15秒内应答）。'),
  def('serviceLevelAlt', '服务水平（剔除15秒内放弃）', '%', '15秒内接听 ÷（呼入量 − 15秒内放弃），即 Asterisk 报表的另一口径，仅供对照。'),
  def('asaSec', '平均应答时长', 's', '已接听电话自进入排队到律师接听的平均秒数（ASA）。'),
  def('ahtSec', '平均通话时长', 's', '已接听并已结束的电话自接听到挂机的平均秒数（含转接后的通话）。'),
  def('avgWrapUpSec', '平均话后整理时长', 's', '律师进入“话后整理”状态到下一状态的平均秒数（来自状态历史），按开始整理的时段计。'),
  def('transferredOut', '转出量', '次', '呼入量中至少被转接一次的电话，计在最初的服务类别。'),
  def('transferredIn', '转入量', '次', '由其他服务类别转来的电话（按转入的类别计，不计入该类别呼入量）。'),
  def('greenOffered', '绿色通道呼入', '次', '优先级 > 0（老年人、残疾人、未成年人、农民工、低收入等）的呼入电话。'),
  def('greenAsaSec', '绿色通道平均等待', 's', '绿色通道已接听电话自进入排队到接听的平均秒数。'),
  def('rated', '参评量', '次', '来电人在通话后作出评价的呼入电话（一次一评）。'),
  def('satisfactionRate', '满意率', '%', '（满意 + 基本满意）÷ 参评量（目标 ≥ 90%）。'),
  def('dissatisfied', '不满意', '次', '评价为“不满意”的电话；每一件都应回访（目标 100%）。'),
  def('callbacksCreated', '回拨任务', '次', '统计期内创建的回拨任务（排队预约回拨、未接来电、留言、不满意回访、约期答复）。'),
  def('callbacksCompleted', '回拨完成', '次', '上述任务中已完成的（status = completed）。'),
  def('callbacksInTime', '按期完成', '次', '上述任务中在截止时间（deadline_at）前完成的。'),
  def('dissatisfiedFollowUpRate', '不满意回访率', '%', '统计期内创建的“不满意回访”任务中已完成的比例（目标 100%）。'),
  def('qaSampleRate', '质检率', '%', '统计期内被抽检评分的电话（qa_score.sampled）÷ 接通量（目标 ≥ 5%）。无质检数据时显示“无数据”。'),
  def('qaAvgScore', '质检平均分', '分', '统计期内被抽检电话的平均总分。'),
  def('appointmentsKeptRate', '预约履约率', '%', '统计期内预约时间已到、已登记到场或爽约的预约中到场的比例（到场 ÷（到场 + 爽约））；按预约时间计。'),
  def('applicationsOnTimeRate', '法律援助按期审批率', '%', '统计期内受理、已作出决定的法律援助申请中在7个工作日期限（decision_due）内决定的比例。'),
  def('ticketsOnTimeRate', '投诉/监督按期办结率', '%', '统计期内登记、已办结的投诉建议和政务监督工单中在期限（工作日）内办结的比例。'),
  def('riskFlagged', '舆情风险事项', '次', '统计期内登记、标记为舆情风险（可能引发群体性事件或集体上访）的工单。'),
];

export const FIGURE = Object.fromEntries(FIGURES.map((f) => [f.key, f])) as Record<string, FigureDef>;

/** The national and provincial norms (DOMAIN.md) the headline figures are held against. */
export const NORMS = [
  { key: 'connectionRate', label: '接通率', target: 0.95, source: 'GB/T 33358-2016；安徽12348目标' },
  { key: 'serviceLevel', label: '15秒接通率', target: 0.95, source: 'GB/T 33358-2016（15秒内应答）' },
  { key: 'satisfactionRate', label: '满意率', target: 0.9, source: '安徽12348目标' },
  { key: 'qaSampleRate', label: '质检率', target: 0.05, source: '安徽12348目标' },
  { key: 'dissatisfiedFollowUpRate', label: '不满意回访率', target: 1, source: '安徽12348目标' },
] as const;

export const ANSWER_TARGET_SEC = 15;

export const LINE_NAMES: Record<string, string> = {
  consultation: '法律咨询', application: '业务申请', appointment: '办事预约', supervision: '政务监督', complaint: '投诉建议', operator: '人工服务',
  '': '未分类',
};
export const CALLBACK_KIND_NAMES: Record<string, string> = {
  queued: '排队预约回拨', missed: '未接来电回拨', voicemail: '留言回拨', dissatisfied: '不满意回访', promised: '约期答复',
};
