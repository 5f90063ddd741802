// Standalone simulated Asterisk: `npm run sim`. Configuration comes from the environment (see README).
import { loadConfig } from '../config/index.js';
import { startSim } from './server.js';

const config = loadConfig();
const sim = await startSim({
  host: config.sim.host, port: config.sim.port, user: config.ari.user, password: config.ari.password, app: config.ari.app,
  timeScale: config.sim.timeScale, soundsDirs: [...config.sim.soundsDirs], recordingsDir: config.sim.recordingsDir,
});
console.log(`pbx-sim: ARI at ${sim.url}/ari (user ${config.ari.user}), control API at ${sim.url}/sim/, time scale ${config.sim.timeScale}`);
const stop = async () => { await sim.close(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
