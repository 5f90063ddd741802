import type { Component } from '../scripts/components.js';
import { startSim } from './server.js';

/** pbx-sim as a component of `npm start` (the embedded PBX when ARI_URL points at the simulator's own address). */
export const simComponent: Component = {
  name: 'pbx-sim',
  async start({ config }) {
    const sim = await startSim({
      host: config.sim.host, port: config.sim.port, user: config.ari.user, password: config.ari.password, app: config.ari.app,
      timeScale: config.sim.timeScale, soundsDirs: [...config.sim.soundsDirs], recordingsDir: config.sim.recordingsDir,
    });
    return { stop: () => sim.close(), urls: [`${sim.url}/ari`, `${sim.url}/sim/`] };
  },
};
