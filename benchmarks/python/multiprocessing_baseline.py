"""Python's side of CrossJvmBench, to run on the same machine: multiprocessing.Pipe round trips
between two processes (one at a time and with 16 in flight) and Manager().dict() set+get pairs
from a child process, one pair at a time.

    python3 benchmarks/python/multiprocessing_baseline.py [seconds]
"""
import multiprocessing as mp
import sys
import time

IN_FLIGHT = 16


def echo(conn, other):
    other.close()  # the parent's end: without closing it here, the parent's close never reaches us
    while True:
        try:
            value = conn.recv()
        except EOFError:
            return
        conn.send(value)


def pipe_round_trips(window, seconds):
    parent, child_end = mp.Pipe()
    child = mp.Process(target=echo, args=(child_end, parent))
    child.start()
    child_end.close()
    for i in range(window):
        parent.send(i)
    count = 0
    warm_end = time.perf_counter() + seconds / 2
    while time.perf_counter() < warm_end:
        parent.send(parent.recv())
    start = time.perf_counter()
    end = start + seconds
    while time.perf_counter() < end:
        parent.send(parent.recv())
        count += 1
    rate = count / (time.perf_counter() - start)
    for _ in range(window):
        parent.recv()
    parent.close()
    child.join()
    return rate


def set_get(d, seconds, out):
    i = 0
    warm_end = time.perf_counter() + seconds / 2
    while time.perf_counter() < warm_end:
        d["k%d" % (i & 1023)] = i
        d["k%d" % (i & 1023)]
        i += 1
    count = 0
    start = time.perf_counter()
    end = start + seconds
    while time.perf_counter() < end:
        d["k%d" % (i & 1023)] = i
        d["k%d" % (i & 1023)]
        i += 1
        count += 1
    out.put(count / (time.perf_counter() - start))


def manager_pairs(seconds):
    with mp.Manager() as manager:
        d = manager.dict()
        out = mp.Queue()
        child = mp.Process(target=set_get, args=(d, seconds, out))
        child.start()
        rate = out.get()
        child.join()
        return rate


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10
    print("%-55s %12s" % ("Python %s, measured %g s" % (sys.version.split()[0], seconds), "per second"))
    print("%-55s %12s" % ("pipe round trips/s, two processes, one at a time", format(round(pipe_round_trips(1, seconds)), ",")))
    print("%-55s %12s" % ("pipe round trips/s, two processes, 16 in flight", format(round(pipe_round_trips(IN_FLIGHT, seconds)), ",")))
    print("%-55s %12s" % ("Manager().dict() set+get pairs/s, from a child process", format(round(manager_pairs(seconds)), ",")))
