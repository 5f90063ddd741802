// A caller hanging up at every node of the 12348 flow (shard 2 of 2; see test/helpers/hangup-run.ts).
import { runHangupShard } from './helpers/hangup-run.js';

runHangupShard(1, 2);
