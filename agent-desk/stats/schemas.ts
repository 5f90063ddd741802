// Response shapes of the statistics, report and insight routes (the answer is validated and documented like every
// other desk route).
import { Type } from 'typebox';
import { dateOrTime } from '../schemas.js';

const N = Type.Number();
const Rate = Type.Union([Type.Number(), Type.Null()]);
const Ratings = Type.Object({ satisfied: N, basicallySatisfied: N, dissatisfied: N });

export const CallFiguresProps = {
  offered: N, answered: N, answered15s: N, abandoned: N, abandoned15s: N, unansweredOther: N,
  connectionRate: Rate, serviceLevel: Rate, serviceLevelAlt: Rate, asaSec: Rate, ahtSec: Rate,
  transferredOut: N, transferredIn: N, greenOffered: N, greenAnswered: N, greenAsaSec: Rate,
  rated: N, ratings: Ratings, satisfactionRate: Rate,
};
const CallFigures = Type.Object(CallFiguresProps);

export const FigureDefView = Type.Object({ key: Type.String(), label: Type.String(), unit: Type.String(), definition: Type.String() });
export const NormView = Type.Object({
  key: Type.String(), label: Type.String(), target: N, source: Type.String(), value: Rate,
  /** null: no data in the period to judge by. */
  met: Type.Union([Type.Boolean(), Type.Null()]),
});

export const StatsView = Type.Object({
  period: Type.Object({ from: Type.String(), to: Type.String() }),
  total: CallFigures,
  byLine: Type.Array(Type.Object({ line: Type.String(), name: Type.String(), ...CallFiguresProps })),
  byTopic: Type.Array(Type.Object({ topic: Type.String(), ...CallFiguresProps })),
  byHour: Type.Array(Type.Object({ hour: N, ...CallFiguresProps })),
  byDay: Type.Array(Type.Object({ date: Type.String(), ...CallFiguresProps })),
  byAgent: Type.Array(Type.Object({
    staffNo: Type.String(), name: Type.String(), answered: N, answered15s: N, asaSec: Rate, ahtSec: Rate,
    wrapUps: N, avgWrapUpSec: Rate, rated: N, ratings: Ratings, satisfactionRate: Rate,
  })),
  callbacks: Type.Object({
    created: N, completed: N, completedInTime: N,
    byKind: Type.Array(Type.Object({ kind: Type.String(), created: N, completed: N, completedInTime: N })),
    dissatisfiedCreated: N, dissatisfiedCompleted: N, dissatisfiedFollowUpRate: Rate,
  }),
  qa: Type.Object({ available: Type.Boolean(), sampled: N, sampleRate: Rate, avgScore: Rate }),
  risk: Type.Object({ count: N, groups: Type.Array(Type.Object({ topic: Type.String(), place: Type.String(), count: N })) }),
  afterCall: Type.Object({
    appointments: Type.Object({ booked: N, kept: N, noShow: N, keptRate: Rate }),
    applications: Type.Object({ received: N, decided: N, decidedOnTime: N, onTimeRate: Rate }),
    tickets: Type.Object({ created: N, closed: N, closedOnTime: N, onTimeRate: Rate }),
  }),
  norms: Type.Array(NormView),
  definitions: Type.Array(FigureDefView),
});

export const PeriodQuery = Type.Object({
  from: dateOrTime('first day (YYYY-MM-DD, China Standard Time) or instant'),
  to: dateOrTime('last day, included (YYYY-MM-DD) or instant (excluded)'),
}, { additionalProperties: false });
