// How a caller reaches each node of flows/12348.yaml by key presses, and when the hang-up comes there. Used by
// test/ivr-hangup-nodes-*.test.ts, which fail when a node of the loaded flow has no entry here (or an entry names a
// node that is gone).
//
// `at: 'now'`: the caller hangs up (a SIP BYE through the simulator) once the steps are done and the session is in
//   the node — in the middle of a prompt, while keys are being collected, while recording, while queued.
// The record must end with reason caller_hangup (abandoned_in_queue in a queue node; see `reason` for after hours).
// `at: 'entry'`: nodes that do not wait for anything (set, condition, hours, lookup) cannot be caught from outside;
//   the hang-up reaches the controller at the very moment the session enters the node (the test delivers the
//   ChannelHangupRequest then, and the simulator's caller hangs up too).

export type Step =
  | { hear: string } // wait until the caller starts hearing this prompt
  | { finish: string } // wait until that prompt is over (played out or cut by a key)
  | { press: string } // DTMF
  | { moh: true } // wait for music on hold
  | { recording: true }; // wait until a recording is live on the simulator

export interface Setup {
  /** Out of business hours. */
  closed?: boolean;
  /** Calling number (a listed one reaches the green channel). */
  from?: string;
  /** What the queue does: hold (music, announcements), a lawyer answers, or it overflows at once. */
  acd?: 'hold' | 'answer' | 'overflow';
}

export interface Reach {
  setup?: Setup; steps: Step[]; at: 'entry' | 'now'; what: string;
  /**
   * The record's end reason when it is not caller_hangup (abandoned_in_queue for a queue node): after hours a
   * call that ends without a message is after_hours, and one that ends during or after its message is voicemail.
   */
  reason?: string;
}

export const LISTED_CALLER = '13900000099';
export const CASE_FOUND = '20240001';
export const CASE_MISSING = '99999999';
/** The test's applicationStatus lookup fails for this one (the flow's error branch). */
export const CASE_BROKEN = '00000000';

const G = { hear: 'greeting' } as const;
const cons = [G, { press: '1' }, { hear: 'consultation-menu' }] as Step[];
const appl = [G, { press: '2' }, { hear: 'application-menu' }] as Step[];
const lawyer = [...cons, { press: '7' }, { hear: 'lawyer-id-prompt' }] as Step[];
const caseNo = [...appl, { press: '5' }, { hear: 'case-number-prompt' }] as Step[];
const appt = [G, { press: '3' }, { hear: 'appointment-menu' }] as Step[];
const offer = [...appt, { press: '1' }, { hear: 'appointment-confirm-menu' }] as Step[];
/** hangup-run.ts takes this service out of use, so its key leads to "no free time". */
export const SERVICE_WITHOUT_SLOTS = 'admin-reconsideration';
const answered = { acd: 'answer' } as const;
const survey = [G, { press: '3' }, { hear: 'survey-intro' }] as Step[];
const closed = { closed: true } as const;
const afterHoursRecording = [{ finish: 'after-hours' }, { finish: 'leave-message' }, { recording: true }] as Step[];

export const HANGUP_AT: Record<string, Reach> = {
  'vulnerable-check': { steps: [], at: 'entry', what: 'during the green-list lookup' },
  'green-listed': { setup: { from: LISTED_CALLER }, steps: [], at: 'entry', what: 'a listed caller, as priority is set' },
  greeting: { steps: [G], at: 'now', what: 'in the middle of the greeting' },
  'green-offer': { steps: [{ hear: 'green-channel-offer' }], at: 'now', what: 'during the green-channel offer' },
  hours: { steps: [], at: 'entry', what: 'while business hours are checked' },
  'main-menu': { steps: [{ hear: 'main-menu' }], at: 'now', what: 'in the middle of the main menu prompt' },
  'green-key': { steps: [G, { press: '8' }], at: 'entry', what: 'after pressing 8' },
  'green-accepted': { steps: [G, { press: '8' }, { hear: 'green-channel-accepted' }], at: 'now', what: 'during a non-interruptible prompt' },
  'to-operator': { steps: [G, { press: '0' }, { hear: 'transferring' }], at: 'now', what: 'while told of the transfer' },
  'queue-operator': { steps: [G, { press: '0' }, { finish: 'transferring' }, { moh: true }, { hear: 'queue-apology' }], at: 'now', what: "during the queue's announcement" },
  'line-consultation': { steps: [G, { press: '1' }], at: 'entry', what: 'as the line is set' },
  'consultation-menu': { steps: cons, at: 'now', what: 'in the middle of the topic menu' },
  'topic-marriage': { steps: [...cons, { press: '1' }], at: 'entry', what: 'as the topic is set' },
  'topic-labour': { steps: [...cons, { press: '2' }], at: 'entry', what: 'as the topic is set' },
  'topic-contract': { steps: [...cons, { press: '3' }], at: 'entry', what: 'as the topic is set' },
  'topic-traffic': { steps: [...cons, { press: '4' }], at: 'entry', what: 'as the topic is set' },
  'topic-land': { steps: [...cons, { press: '5' }], at: 'entry', what: 'as the topic is set' },
  'topic-other': { steps: [...cons, { press: '6' }], at: 'entry', what: 'as the topic is set' },
  'named-lawyer': { steps: [...lawyer, { press: '12' }, { finish: 'lawyer-id-prompt' }], at: 'now', what: 'half-way through keying a staff number' },
  'named-tag': { steps: [...lawyer, { press: '1234#' }], at: 'entry', what: 'as the named lawyer is tagged' },
  'named-connecting': { steps: [...lawyer, { press: '1234#' }, { hear: 'lawyer-connecting' }], at: 'now', what: 'while told the lawyer is being connected' },
  'queue-named': { steps: [...lawyer, { press: '1234#' }, { finish: 'lawyer-connecting' }, { moh: true }], at: 'now', what: 'on music on hold for a named lawyer' },
  'line-application': { steps: [G, { press: '2' }], at: 'entry', what: 'as the line is set' },
  'application-menu': { steps: appl, at: 'now', what: 'in the middle of the application menu' },
  'app-legal-aid': { steps: [...appl, { press: '1' }], at: 'entry', what: 'as the topic is set' },
  'legal-aid-intro': { steps: [...appl, { press: '1' }, { hear: 'legal-aid-intro' }], at: 'now', what: 'during the legal-aid explanation' },
  'app-notarisation': { steps: [...appl, { press: '2' }], at: 'entry', what: 'as the topic is set' },
  'app-mediation': { steps: [...appl, { press: '3' }], at: 'entry', what: 'as the topic is set' },
  'app-appraisal': { steps: [...appl, { press: '4' }], at: 'entry', what: 'as the topic is set' },
  'case-number': { steps: caseNo, at: 'now', what: 'while asked for the case number' },
  'status-lookup': { steps: [...caseNo, { press: `${CASE_FOUND}#` }], at: 'entry', what: 'during the status lookup' },
  'status-say': { steps: [...caseNo, { press: `${CASE_FOUND}#` }, { hear: 'status-intro' }], at: 'now', what: 'while the status is read out' },
  'status-not-found': { steps: [...caseNo, { press: `${CASE_MISSING}#` }, { hear: 'case-number-not-found' }], at: 'now', what: 'while told the case is unknown' },
  'status-unavailable': { steps: [...caseNo, { press: `${CASE_BROKEN}#` }, { hear: 'status-unavailable' }], at: 'now', what: 'while told the status cannot be read' },
  'line-appointment': { steps: [G, { press: '3' }], at: 'entry', what: 'as the line is set' },
  'appointment-menu': { steps: appt, at: 'now', what: 'in the middle of the appointment menu' },
  'svc-notarisation': { steps: [...appt, { press: '1' }], at: 'entry', what: 'as the service is set' },
  'svc-legal-aid': { steps: [...appt, { press: '2' }], at: 'entry', what: 'as the service is set' },
  'svc-mediation': { steps: [...appt, { press: '3' }], at: 'entry', what: 'as the service is set' },
  'svc-appraisal': { steps: [...appt, { press: '4' }], at: 'entry', what: 'as the service is set' },
  'svc-reconsideration': { steps: [...appt, { press: '5' }], at: 'entry', what: 'as the service is set' },
  'svc-lawyer': { steps: [...appt, { press: '6' }], at: 'entry', what: 'as the service is set' },
  'slot-lookup': { steps: [...appt, { press: '6' }, { finish: 'appointment-menu' }], at: 'entry', what: 'during the free-slot lookup' },
  'slot-offer': { steps: [...appt, { press: '1' }, { hear: 'appointment-earliest' }], at: 'now', what: 'while the earliest free time is read out' },
  'slot-book': { steps: [...offer, { press: '1' }], at: 'entry', what: 'as the slot is booked' },
  'appointment-booked': { steps: [...offer, { press: '1' }, { hear: 'appointment-booked' }], at: 'now', what: 'while told the booking is made' },
  'appointment-none': { steps: [...appt, { press: '5' }, { hear: 'appointment-none' }], at: 'now', what: 'while told there is no free time' },
  'line-supervision': { steps: [G, { press: '4' }], at: 'entry', what: 'as the line is set' },
  'supervision-intro': { steps: [G, { press: '4' }, { hear: 'supervision-intro' }], at: 'now', what: 'during the supervision explanation' },
  'line-complaint': { steps: [G, { press: '5' }], at: 'entry', what: 'as the line is set' },
  'complaint-intro': { steps: [G, { press: '5' }, { hear: 'complaint-intro' }], at: 'now', what: 'during the complaints explanation' },
  'queue-line': { steps: [G, { press: '3' }, { moh: true }], at: 'now', what: 'on music on hold' },
  'overflow-menu': { setup: { acd: 'overflow' }, steps: [G, { press: '3' }, { hear: 'callback-overflow-menu' }], at: 'now', what: 'offered a callback or a message after the queue overflowed' },
  'callback-request': {
    setup: { acd: 'overflow' }, steps: [G, { press: '3' }, { hear: 'callback-overflow-menu' }, { press: '1' }, { hear: 'callback-confirm-before' }],
    at: 'now', what: 'while the number to call back is read out',
  },
  'overflow-message': {
    setup: { acd: 'overflow' }, steps: [G, { press: '3' }, { hear: 'callback-overflow-menu' }, { press: '2' }, { hear: 'leave-message' }],
    at: 'now', what: 'asked for a message after the queue overflowed',
  },
  'after-hours': { setup: closed, steps: [], at: 'entry', what: 'as the call is marked after hours', reason: 'after_hours' },
  'after-hours-say': { setup: closed, steps: [{ hear: 'after-hours' }], at: 'now', what: 'while the hours are said', reason: 'after_hours' },
  'after-hours-message': { setup: closed, steps: afterHoursRecording, at: 'now', what: 'while recording a message', reason: 'voicemail' },
  'message-thanks': { setup: closed, steps: [...afterHoursRecording, { press: '#' }, { hear: 'voicemail-thanks' }], at: 'now', what: 'while thanked for the message', reason: 'voicemail' },
  survey: { setup: answered, steps: survey, at: 'now', what: 'while asked to rate, after talking to a lawyer' },
  'rating-check': { setup: answered, steps: [...survey, { press: '3' }], at: 'entry', what: 'as the rating is checked' },
  dissatisfied: { setup: answered, steps: [...survey, { press: '3' }, { hear: 'survey-dissatisfied' }], at: 'now', what: 'after a poor rating' },
  goodbye: { setup: answered, steps: [...survey, { press: '1' }, { hear: 'goodbye' }], at: 'now', what: 'during goodbye' },
};
