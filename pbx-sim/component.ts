import type { Component } from '../scripts/components.js';
import { startSim } from './server.js';

/** pbx-sim as a component of `npm start` (the embedded PBX when ARI_URL points at the simulator's own address). */
export const simComponent: Component = {
  name: 'pbx-sim',
  async start({ config, log }) {
    const ari = new URL(config.ari.url);
    if (ari.host !== `${config.sim.host}:${config.sim.port}`) {
      log.info({ ari: config.ari.url }, 'ARI_URL points at a real Asterisk: the simulator stays off');
      return { stop: async () => {} };
    }
    const sim = await startSim({
      host: config.sim.host, port: config.sim.port, user: config.ari.user, password: config.ari.password, app: config.ari.app,
      timeScale: config.sim.timeScale, soundsDirs: [...config.sim.soundsDirs], recordingsDir: config.sim.recordingsDir,
    });
    return { stop: () => sim.close(), urls: [`${sim.url}/ari`, `${sim.url}/sim/`] };
  },
};
