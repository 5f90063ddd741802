// hours: is the centre open now? Asks the injected calendar (holidays, 调休 make-up working days). A calendar that
// does not know the date (a year without data) throws: that is the `error` outcome, never a silent guess.
import { z } from 'zod';
import { defineNode } from '../types.js';

export const hours = defineNode({
  type: 'hours',
  schema: z.strictObject({
    /** Which set of hours to ask about; the calendar's default when absent. */
    schedule: z.string().regex(/^[\w-]+$/).optional(),
  }),
  outcomes: ['open', 'closed', 'error'],
  input: false,
  async run({ port, params, services }) {
    let open: boolean;
    try {
      open = await services.calendar.isOpen(new Date(port.now()), params.schedule);
    } catch {
      return { outcome: 'error' };
    }
    return { outcome: open ? 'open' : 'closed' };
  },
});
