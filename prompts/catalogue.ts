// Every recorded sentence the 12348 hotline plays, as Simplified Chinese text, keyed by the id the flows and the
// Asterisk dialplan use (`sound:<id>`, language zh -> sounds/zh/<id>.wav).
//
// Written for elderly and rural callers: short sentences, everyday words (和 rather than 与), the key after the
// choice ("法律咨询请按1") so people hear what they want before the number, and 0 for a person in every menu.
// `npm run prompts` turns this into WAVs; pronunciation fixes for espeak live in pronounce.ts, not here, so this
// text stays what a studio speaker would read.
import { DEFAULT_OPENING_HOURS, describeHours } from '../lib/calendar/hours.js';

/** Placeholders a prompt may contain; both have defaults so the committed sounds are complete. */
export interface PromptVars {
  /** The centre's name, said in the greeting and on callbacks. */
  centre?: string;
  /** The opening hours, spoken (describeHours() of the centre's hours). */
  hours?: string;
}

export const DEFAULT_CENTRE = '某某县公共法律服务中心';

export const DEFAULT_PROMPT_VARS: Required<PromptVars> = {
  centre: DEFAULT_CENTRE,
  hours: describeHours(DEFAULT_OPENING_HOURS),
};

/** The green-channel key (绿色通道: elderly, disabled, minors, migrant workers): named in `green-channel-offer`. */
export const GREEN_CHANNEL_KEY = '8';
export const OPERATOR_KEY = '0';
export const REPEAT_KEY = '9';

export const PROMPTS = {
  // --- Arrival -------------------------------------------------------------------------------------------------
  greeting: '您好，欢迎致电12348公共法律服务热线，{centre}为您服务。',
  'recording-notice': '本次通话将被录音。',
  'green-channel-offer': '老年人、残疾人、未成年人和农民工朋友，请按8，优先为您服务。',
  'green-channel-accepted': '已经为您开通绿色通道，正在优先为您转接。',
  'main-menu': '法律咨询请按1，业务申请请按2，办事预约请按3，政务监督请按4，投诉建议请按5，人工服务请按0，重听请按9。',

  // --- 1 法律咨询: topic, or a named lawyer (点名咨询) --------------------------------------------------------------
  'consultation-menu': '法律咨询。婚姻家庭请按1，劳动和欠薪请按2，合同和债务请按3，交通事故请按4，土地和房产请按5，其他问题请按6，找指定的律师请按7，人工服务请按0。',
  'lawyer-id-prompt': '请输入律师工号，以井号键结束。',
  'lawyer-id-invalid': '没有这个工号，请重新输入。',
  'lawyer-connecting': '正在为您接通这位律师，请稍候。',
  'lawyer-unavailable': '这位律师现在不方便接听，正在为您转接其他律师。',
  'transferring-lawyer': '正在为您转接值班律师，请稍候。',

  // --- 2 业务申请 -------------------------------------------------------------------------------------------------
  'application-menu': '业务申请。法律援助请按1，公证请按2，人民调解请按3，司法鉴定请按4，查询申请进度请按5，人工服务请按0。',
  'legal-aid-intro': '申请法律援助，请准备好身份证，工作人员会帮您登记。',
  'case-number-prompt': '请输入案件编号，以井号键结束。',
  'case-number-invalid': '编号不对，请重新输入。',
  'case-number-not-found': '没有查到这个编号，请核对后重新输入。',
  'status-intro': '您查询的编号是',
  'status-received': '您的申请已经受理，正在等待审查。',
  'status-under-review': '您的申请正在审查，请耐心等待。',
  'status-approved': '您的申请已经批准，我们会尽快为您指派律师。',
  'status-refused': '您的申请没有获得批准，书面通知会寄给您。有疑问请按0。',
  'status-lawyer-assigned': '已经为您指派了律师，律师会主动和您联系。',
  'status-closed': '您的案件已经办结。',
  'status-unavailable': '暂时查不到办理进度，正在为您转接人工服务。',

  // --- 3 办事预约 (self-service takes the earliest free slot; issue 8) ---------------------------------------------
  'appointment-earliest': '最近可以预约的时间是',
  'appointment-confirm-menu': '确认预约请按1，需要其他时间请按0。',
  'appointment-booked': '预约成功。请按时带上身份证到中心办理。',
  'appointment-none': '最近没有可以预约的时间，正在为您转接工作人员。',
  'appointment-menu': '办事预约。公证请按1，法律援助请按2，人民调解请按3，司法鉴定请按4，行政复议请按5，律师当面咨询请按6，人工服务请按0。',
  // The reminder call the working day before: intro, the date and time (say.ts), the place, the end.
  'appointment-reminder': '您好，这里是{centre}，提醒您按时来办理预约的业务。预约的时间是',
  'appointment-reminder-place': '地点是',
  'appointment-reminder-end': '请带上身份证按时到达。如果需要改时间，请拨打12348。再见！',
  'place-notarisation': '中心一楼公证窗口。',
  'place-legal-aid': '中心一楼法律援助窗口。',
  'place-mediation': '中心二楼调解室。',
  'place-judicial-appraisal': '中心二楼司法鉴定受理窗口。',
  'place-admin-reconsideration': '中心三楼行政复议接待室。',
  'place-lawyer-consultation': '中心一楼律师接待室。',

  // --- 4 政务监督, 5 投诉建议 --------------------------------------------------------------------------------------
  'supervision-intro': '政务监督。接通后，请说明您要反映的单位和事情。',
  'complaint-intro': '投诉建议。接通后请说明情况，我们会认真处理，并给您答复。',

  // --- Input problems, transfer and queue ------------------------------------------------------------------------
  'invalid-input': '您按的键不对，请重新选择。',
  'no-input': '没有听到您按键，请重新选择。',
  transferring: '正在为您转接人工服务，请稍候。',
  // The lawyer handed the caller on to another line or lawyer (desk transfer).
  'transfer-handover': '正在为您转接，请不要挂机。',
  'queue-apology': '很抱歉，现在来电较多，工作人员都在忙，请您耐心等候。',
  'queue-position-before': '您前面还有',
  'queue-position-after': '位来电在等候。',
  'queue-next': '下一位就是您，请稍候。',
  'queue-wait-before': '大约还要等',
  'queue-wait-after': '分钟。',
  'queue-callback-offer': '如果不想等待，请按1，我们会尽快给您回电。',
  'queue-callback-accepted': '好的，您的排队位置为您保留，轮到您时我们马上给您回电。感谢您的来电，再见。',
  'callback-overflow-menu': '律师暂时都在忙。需要我们给您回电请按1，留言请按2，继续等待人工服务请按0。',
  'callback-confirm-before': '我们将回拨号码',
  'callback-confirm-after': '确认请按1，使用其他号码请按2。',
  'callback-enter-number': '请输入回电号码，输完请按井号键。',
  'callback-number-invalid': '号码不正确，请重新输入。',

  // --- Closed: after hours and holidays, voicemail ---------------------------------------------------------------
  'after-hours': '现在是下班时间。本中心的工作时间是：{hours}。',
  'holiday-closed': '今天是法定节假日，本中心休息。',
  'leave-message': '请在提示音后留下您的姓名、电话和要咨询的问题，说完请按井号键。我们会在下一个工作日给您回电。',
  'voicemail-thanks': '您的留言已经收到，我们会在下一个工作日给您回电。谢谢！',

  // --- After the conversation ------------------------------------------------------------------------------------
  'survey-intro': '请您对本次服务作出评价。',
  'survey-menu': '满意请按1，基本满意请按2，不满意请按3。',
  'survey-thanks': '感谢您的评价。',
  'survey-dissatisfied': '很抱歉没有让您满意，我们会尽快给您回访。',
  goodbye: '感谢您的来电，再见！',

  // --- Callbacks (the centre rings the caller back) --------------------------------------------------------------
  'callback-intro': '您好，这里是{centre}。您之前拨打过12348热线，现在给您回电。',
  // Played to the lawyer when a callback connects them first (lawyer first, then the caller).
  'callback-lawyer-intro': '回拨电话，正在为您接通来电人，请稍候。',
  // Played to the caller when they are called first (caller-first mode), while a lawyer is connected.
  'callback-connecting': '正在为您接通律师，请稍候。',
  // Caller-first callback whose lawyer did not answer.
  'callback-sorry': '很抱歉，律师暂时无法接听，我们稍后再给您回电。再见！',
  'ticket-reply-callback': '关于您反映的问题，我们已经办理完毕，并作出了答复。书面答复会寄给您，有疑问请再拨打12348。再见！',

  // --- Failures --------------------------------------------------------------------------------------------------
  // Played by deploy/asterisk/extensions.conf when the controller is down (Stasis() failed): no variables there.
  'hotline-unavailable': '您好，这里是12348公共法律服务热线。系统暂时出了故障，正在为您转接值班律师，请稍候。',
  'hotline-callback-later': '很抱歉，值班律师现在都不方便接听，请您稍后再拨12348。再见！',
  'error-apology': '很抱歉，系统出了点问题，正在为您转接人工服务。',
  'call-resumed': '很抱歉，刚才线路出了点问题，我们继续为您服务。',

  // --- Building blocks for read-outs (see say.ts) ----------------------------------------------------------------
  // Digit by digit (case numbers, staff numbers): 1 is 幺 as on the telephone, so it is not heard as 七.
  'digit-0': '零', 'digit-1': '幺', 'digit-2': '二', 'digit-3': '三', 'digit-4': '四',
  'digit-5': '五', 'digit-6': '六', 'digit-7': '七', 'digit-8': '八', 'digit-9': '九',
  // Quantities (queue position, minutes, dates).
  'number-1': '一', 'number-2': '二', 'number-liang': '两', 'number-3': '三', 'number-4': '四', 'number-5': '五',
  'number-6': '六', 'number-7': '七', 'number-8': '八', 'number-9': '九', 'number-10': '十',
  'number-hundred': '百', 'number-thousand': '千',
  'date-month': '月', 'date-day': '号',
  'weekday-1': '星期一', 'weekday-2': '星期二', 'weekday-3': '星期三', 'weekday-4': '星期四',
  'weekday-5': '星期五', 'weekday-6': '星期六', 'weekday-7': '星期日',
  'time-early': '凌晨', 'time-morning': '上午', 'time-noon': '中午', 'time-afternoon': '下午', 'time-evening': '晚上',
  'time-hour': '点', 'time-half': '半', 'time-minute': '分',
} as const satisfies Record<string, string>;

export type PromptId = keyof typeof PROMPTS;

export const PROMPT_IDS = Object.keys(PROMPTS) as PromptId[];

/**
 * The ids the 12348 flow, the controller and the dialplan rely on: a test holds the catalogue to this list, so
 * renaming a prompt here without updating its users fails before a caller hears silence.
 */
export const REQUIRED_PROMPTS: readonly string[] = [
  'greeting', 'recording-notice', 'green-channel-offer', 'green-channel-accepted', 'main-menu',
  'consultation-menu', 'lawyer-id-prompt', 'lawyer-id-invalid', 'lawyer-connecting', 'lawyer-unavailable',
  'transferring-lawyer', 'transfer-handover',
  'application-menu', 'legal-aid-intro', 'case-number-prompt', 'case-number-invalid', 'case-number-not-found',
  'status-intro', 'status-received', 'status-under-review', 'status-approved', 'status-refused',
  'status-lawyer-assigned', 'status-closed', 'status-unavailable',
  'appointment-earliest', 'appointment-confirm-menu', 'appointment-booked', 'appointment-none', 'appointment-menu',
  'appointment-reminder', 'appointment-reminder-place', 'appointment-reminder-end', 'ticket-reply-callback',
  'place-notarisation', 'place-legal-aid', 'place-mediation', 'place-judicial-appraisal', 'place-admin-reconsideration',
  'place-lawyer-consultation',
  'supervision-intro', 'complaint-intro',
  'invalid-input', 'no-input', 'transferring', 'queue-apology', 'queue-position-before', 'queue-position-after',
  'queue-next', 'queue-wait-before', 'queue-wait-after', 'queue-callback-offer', 'queue-callback-accepted',
  'callback-overflow-menu', 'callback-confirm-before', 'callback-confirm-after', 'callback-enter-number', 'callback-number-invalid',
  'callback-intro', 'callback-lawyer-intro', 'callback-connecting', 'callback-sorry',
  'after-hours', 'holiday-closed', 'leave-message', 'voicemail-thanks',
  'survey-intro', 'survey-menu', 'survey-thanks', 'survey-dissatisfied', 'goodbye',
  'callback-intro', 'hotline-unavailable', 'hotline-callback-later', 'error-apology', 'call-resumed',
  ...Array.from({ length: 10 }, (_, i) => `digit-${i}`),
];

/**
 * What each menu key means, in step with the menu prompts: a test checks each "<label>请按<key>" is in the menu's
 * text (or "请按<key>" in `announcedIn`). Lines and topics use the names of the call record (issue 3).
 */
export const MENUS = {
  'main-menu': {
    '1': { line: 'consultation', label: '法律咨询' },
    '2': { line: 'application', label: '业务申请' },
    '3': { line: 'appointment', label: '办事预约' },
    '4': { line: 'supervision', label: '政务监督' },
    '5': { line: 'complaint', label: '投诉建议' },
    '0': { line: 'operator', label: '人工服务' },
    '9': { action: 'repeat', label: '重听' },
    // Said in the greeting part (green-channel-offer); the key works during the greeting and the main menu.
    [GREEN_CHANNEL_KEY]: { action: 'green-channel', label: '绿色通道', announcedIn: 'green-channel-offer' },
  },
  'consultation-menu': {
    '1': { topic: 'marriage-family', label: '婚姻家庭' },
    '2': { topic: 'labour-wages', label: '劳动和欠薪' },
    '3': { topic: 'contract-debt', label: '合同和债务' },
    '4': { topic: 'traffic-accident', label: '交通事故' },
    '5': { topic: 'land-housing', label: '土地和房产' },
    '6': { topic: 'other', label: '其他问题' },
    '7': { action: 'named-lawyer', label: '找指定的律师' },
    '0': { line: 'operator', label: '人工服务' },
  },
  'application-menu': {
    '1': { service: 'legal-aid', label: '法律援助' },
    '2': { service: 'notarisation', label: '公证' },
    '3': { service: 'mediation', label: '人民调解' },
    '4': { service: 'judicial-appraisal', label: '司法鉴定' },
    '5': { action: 'application-status', label: '查询申请进度' },
    '0': { line: 'operator', label: '人工服务' },
  },
  'survey-menu': {
    '1': { rating: 'satisfied', label: '满意' },
    '2': { rating: 'basically-satisfied', label: '基本满意' },
    '3': { rating: 'dissatisfied', label: '不满意' },
  },
  'appointment-menu': {
    '1': { service: 'notarisation', label: '公证' },
    '2': { service: 'legal-aid', label: '法律援助' },
    '3': { service: 'mediation', label: '人民调解' },
    '4': { service: 'judicial-appraisal', label: '司法鉴定' },
    '5': { service: 'admin-reconsideration', label: '行政复议' },
    '6': { service: 'lawyer-consultation', label: '律师当面咨询' },
    '0': { line: 'operator', label: '人工服务' },
  },
  'appointment-confirm-menu': {
    '1': { action: 'accept', label: '确认预约' },
    '0': { line: 'operator', label: '需要其他时间' },
  },
  'queue-callback-offer': {
    '1': { action: 'callback', label: '回电', announcedIn: 'queue-callback-offer' },
  },
  'callback-overflow-menu': {
    '1': { action: 'callback', label: '回电' },
    '2': { action: 'voicemail', label: '留言' },
    '0': { line: 'operator', label: '继续等待人工服务' },
  },
  'callback-confirm-after': {
    '1': { action: 'accept', label: '确认' },
    '2': { action: 'other-number', label: '使用其他号码' },
  },
} as const;

const PLACEHOLDER = /\{(\w+)\}/g;

export function isPromptId(id: string): id is PromptId {
  return Object.hasOwn(PROMPTS, id);
}

/** The text of a prompt with its placeholders filled (defaults for those not given); throws on an unknown id. */
export function promptText(id: string, vars: PromptVars = {}): string {
  if (!isPromptId(id)) throw new Error(`unknown prompt id ${JSON.stringify(id)}`);
  const values: Record<string, string | undefined> = { ...DEFAULT_PROMPT_VARS, ...stripUndefined(vars) };
  return PROMPTS[id].replace(PLACEHOLDER, (whole, name: string) => {
    const v = values[name];
    if (v === undefined || v.trim() === '') throw new Error(`prompt ${id}: no value for ${whole}`);
    return v.trim();
  });
}

function stripUndefined(vars: PromptVars): PromptVars {
  return Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined && v !== ''));
}
