"""Python's side of AccountBenchmark, to run on the same machine in the same hour: the ATM account
of the threading lesson, a balance guarded by threading.Lock, deposited to by 4 threads at once.
Prints the deposits per second of each round and their median.

    python3 benchmarks/python/lock_account_baseline.py [deposits-per-thread] [rounds]
"""
import statistics
import sys
import threading
import time

THREADS = 4


class Account:
    def __init__(self):
        self.balance = 0
        self.lock = threading.Lock()

    def deposit(self, amount):
        with self.lock:
            self.balance += amount


def one_round(per_thread):
    account = Account()
    start = threading.Barrier(THREADS + 1)

    def depositor():
        start.wait()
        for _ in range(per_thread):
            account.deposit(1)

    threads = [threading.Thread(target=depositor) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    assert account.balance == THREADS * per_thread, account.balance
    return THREADS * per_thread / elapsed


def main():
    per_thread = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    rates = [one_round(per_thread) for _ in range(rounds)]
    for i, rate in enumerate(rates, 1):
        print("round %d: %12s deposits/s" % (i, format(round(rate), ",")))
    print("%-55s %12s" % ("threading.Lock account, 4 threads, median deposits/s",
                          format(round(statistics.median(rates)), ",")))


if __name__ == "__main__":
    main()
