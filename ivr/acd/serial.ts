// Routing passes one at a time: a request while a pass runs asks for one more pass after it (the state it would have
// looked at may have changed), never for a second pass alongside. A failed pass is logged; the next request or the
// periodic tick tries again.
export class SerialPasses {
  private running = false;
  private again = false;

  constructor(private readonly pass: () => Promise<void>, private readonly o: { stopped(): boolean; failed(err: Error): void }) {}

  request(): void {
    if (this.o.stopped()) return;
    if (this.running) { this.again = true; return; }
    this.running = true;
    void (async () => {
      try {
        do { this.again = false; await this.pass(); } while (this.again && !this.o.stopped());
      } catch (err) {
        this.o.failed(err as Error);
      } finally {
        this.running = false;
      }
    })();
  }
}
