// prom-client metrics for the call-record pipeline. Several sinks/appliers may live in one process (tests, a
// controller restarting its sink), and prom-client refuses to register a name twice, so reuse what exists.
import { Counter, Gauge, register as globalRegistry, type Registry } from 'prom-client';

export function counter(name: string, help: string, registry: Registry = globalRegistry): Counter {
  const found = registry.getSingleMetric(name);
  if (found) return found as Counter;
  return new Counter({ name, help, registers: [registry] });
}

export function gauge(name: string, help: string, registry: Registry = globalRegistry): Gauge {
  const found = registry.getSingleMetric(name);
  if (found) return found as Gauge;
  return new Gauge({ name, help, registers: [registry] });
}
