/** REST fault injection state, shared by the /sim/faults routes and the ARI request hook. */
export class Faults {
  failNext = 0;
  failStatus = 500;
  delayMs = 0;
}
