"""Python's side of ProcessPoolBench, to run on the same machine: tiny tasks through a
ProcessPoolExecutor of 2 processes, throughput (submit N one by one, then wait for all) and
round-trip latency (submit one, wait for it, again).

    python3 benchmarks/python/process_pool_baseline.py [tasks] [trips] [rounds]
"""
import sys
import time
from concurrent.futures import ProcessPoolExecutor


def inc(x):
    return x + 1


def throughput(pool, tasks):
    start = time.perf_counter()
    futures = [pool.submit(inc, i) for i in range(tasks)]
    total = sum(f.result() for f in futures)
    assert total == tasks * (tasks + 1) // 2
    return tasks / (time.perf_counter() - start)


def latency_micros(pool, trips):
    start = time.perf_counter()
    for i in range(trips):
        assert pool.submit(inc, i).result() == i + 1
    return (time.perf_counter() - start) * 1e6 / trips


def main():
    tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    trips = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    rates, trips_us = [], []
    with ProcessPoolExecutor(max_workers=2) as pool:
        for r in range(rounds):
            rate, micros = throughput(pool, tasks), latency_micros(pool, trips)
            print("round %d: tasks/s %.0f; round trip %.1f us" % (r, rate, micros))
            if r > 0 or rounds == 1:
                rates.append(rate)
                trips_us.append(micros)
    rates.sort()
    trips_us.sort()
    print("median: ProcessPoolExecutor %.0f tasks/s, round trip %.1f us" % (rates[len(rates) // 2], trips_us[len(trips_us) // 2]))


if __name__ == "__main__":
    main()
