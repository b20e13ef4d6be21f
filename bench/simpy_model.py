"""The kernel's standard model in SimPy (bench/run.js runs it when python3-simpy is installed).

1,000 processes, each rescheduling itself after a uniform random delay in [0, 1) s, until the
given virtual time. Prints one JSON object: events run and the CPU seconds they took.
Debian's python3-simpy is SimPy 2.3.1, whose API is the classic one (Process, hold).
Run: /usr/bin/python3 bench/simpy_model.py [until_seconds]
"""
import json
import random
import sys
import time

from SimPy.Simulation import Process, activate, hold, initialize, simulate

PROCESSES = 1000
events = 0


class Rescheduling(Process):
    def run(self, rng):
        global events
        while True:
            yield hold, self, rng.random()
            events += 1


def main():
    until = float(sys.argv[1]) if len(sys.argv) > 1 else 2500.0
    rng = random.Random(42)
    initialize()
    for _ in range(PROCESSES):
        p = Rescheduling()
        activate(p, p.run(rng))
    start = time.process_time()
    simulate(until=until)
    cpu = time.process_time() - start
    print(json.dumps({"events": events, "cpu_s": cpu, "events_per_s": events / cpu}))


main()
