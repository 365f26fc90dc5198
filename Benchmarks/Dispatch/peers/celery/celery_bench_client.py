"""The Celery side of DISPATCH-T and DISPATCH-L (`make bench-compare`), printing one JSON
line like hodei-load's figures.

  celery_bench_client.py throughput JOBS   all tasks sent with .delay(), then every result
      awaited (join_native): jobs/s from the first send to the last result
  celery_bench_client.py latency JOBS      .delay().get() one at a time: p50/p99
  celery_bench_client.py ready             waits (bounded) until a worker answers a task

Needs REDIS_PORT and a running `celery -A noop_tasks worker` (see run-compare.sh).
"""
import json
import sys
import time

from celery.result import ResultSet

from noop_tasks import noop


def percentile(sorted_values, p):
    index = max(0, min(len(sorted_values) - 1, int(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def main():
    mode = sys.argv[1]
    if mode == "ready":
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                noop.delay().get(timeout=2)
                return 0
            except Exception:  # noqa: BLE001 - any failure means not ready yet
                time.sleep(0.2)
        print("celery worker not ready after 60 s", file=sys.stderr)
        return 1
    jobs = int(sys.argv[2])
    if mode == "throughput":
        start = time.monotonic()
        results = [noop.delay() for _ in range(jobs)]
        ResultSet(results).join_native(timeout=600)
        seconds = time.monotonic() - start
        completed = sum(1 for r in results if r.successful())
        print(json.dumps({"peer": "celery", "mode": "throughput", "jobs": jobs, "completed": completed,
                          "seconds": round(seconds, 6), "jobs_per_second": round(completed / seconds, 1)}))
        return 0 if completed == jobs else 1
    if mode == "latency":
        latencies = []
        for _ in range(jobs):
            start = time.monotonic()
            noop.delay().get(timeout=30)
            latencies.append(time.monotonic() - start)
        latencies.sort()
        print(json.dumps({"peer": "celery", "mode": "latency", "jobs": jobs,
                          "p50_ms": round(percentile(latencies, 50) * 1000, 4),
                          "p99_ms": round(percentile(latencies, 99) * 1000, 4),
                          "max_ms": round(latencies[-1] * 1000, 4)}))
        return 0
    print("mode must be throughput, latency or ready", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
