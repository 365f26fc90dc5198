#!/usr/bin/env python3
"""Tables of `make bench-dispatch` and `make bench-compare` from the JSON files of one run.

  report.py dispatch RESULTS_DIR   one table: scenario, figure, median [min..max], goal
  report.py compare RESULTS_DIR    Hodei, Gearman and Celery side by side, ratios Hodei/peer

Files are named SCENARIO-SYSTEM-REP.json (hodei-load --json reports, or the peers' one-line
JSON). A missing or unreadable file counts as a failed repetition and is reported as such.
"""
import glob
import json
import os
import statistics
import sys


def load(directory, scenario, system):
    runs, failures = [], []
    for path in sorted(glob.glob(os.path.join(directory, f"{scenario}-{system}-*.json"))):
        try:
            with open(path) as handle:
                text = handle.read().strip()
            try:
                data = json.loads(text)
            except ValueError:
                data = json.loads(text.splitlines()[-1])  # a peer's one JSON line after other output
        except (OSError, ValueError, IndexError):
            failures.append(os.path.basename(path))
            continue
        if data.get("complete") is False:
            failures.append(f"{os.path.basename(path)} (incomplete: {'; '.join(data.get('notes', []))})")
        runs.append(data)
    return runs, failures


def dig(data, *keys):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def values(runs, *keys):
    return [v for v in (dig(r, *keys) for r in runs) if isinstance(v, (int, float))]


def fmt(vals, digits=1):
    if not vals:
        return "n/a"
    med = statistics.median(vals)
    if len(vals) == 1:
        return f"{med:,.{digits}f}"
    return f"{med:,.{digits}f} [{min(vals):,.{digits}f}..{max(vals):,.{digits}f}]"


def median(vals):
    return statistics.median(vals) if vals else None


def table(header, rows):
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    line = lambda row: "| " + " | ".join(str(c).ljust(widths[i]) for i, c in enumerate(row)) + " |"
    out = [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(row) for row in rows]
    return "\n".join(out)


def verdict(value, ok):
    if value is None:
        return ""
    return "met" if ok(value) else "NOT met"


def dispatch(directory):
    rows, notes = [], []
    t, failed = load(directory, "T", "hodei")
    notes += failed
    if t or failed:
        rows.append(["DISPATCH-T", "jobs/s (first submit → last durable result)", fmt(values(t, "jobs", "jobs_per_second")),
                     "≥ 1.5x Gearman (make bench-compare)", ""])
        rows.append(["", "server CPU µs per job", fmt(values(t, "server", "cpu_micros_per_unit")), "", ""])
        rows.append(["", "submit → result p99 ms", fmt(values(t, "latency_ms", "submit_to_result", "p99"), 2), "", ""])
        rows.append(["", "server peak RSS MiB", fmt(values(t, "server", "peak_rss_mib")), "", ""])
    lat, failed = load(directory, "L", "hodei")
    notes += failed
    if lat or failed:
        p99 = values(lat, "latency_ms", "submit_to_result", "p99")
        rows.append(["DISPATCH-L", "submit → result p50 ms", fmt(values(lat, "latency_ms", "submit_to_result", "p50"), 3), "", ""])
        rows.append(["", "submit → result p99 ms", fmt(p99, 3), "≤ 1 ms", verdict(median(p99), lambda v: v <= 1.0)])
        rows.append(["", "server CPU µs per job", fmt(values(lat, "server", "cpu_micros_per_unit")), "", ""])
    p, failed = load(directory, "P", "hodei")
    notes += failed
    if os.path.exists(os.path.join(directory, "P-skipped.txt")):
        rows.append(["DISPATCH-P", "skipped: hodei-agent missing or without --max-jobs", "", "≥ 80 % of the spawn limit", ""])
    elif p:
        spawn, _ = load(directory, "P", "spawn")
        jobs = values(p, "jobs", "jobs_per_second")
        limit = values(spawn, "spawns_per_second")
        share = [j / s * 100 for j, s in zip(jobs, limit) if s]
        rows.append(["DISPATCH-P", "/bin/true jobs/s, 1 agent --max-jobs 2", fmt(jobs), "", ""])
        rows.append(["", "spawn limit (posix_spawn, 2 threads)/s", fmt(limit), "", ""])
        rows.append(["", "% of the spawn limit", fmt(share), "≥ 80 %", verdict(median(share), lambda v: v >= 80)])
    w, failed = load(directory, "W", "hodei")
    notes += failed
    if w or failed:
        rss = values(w, "server", "peak_rss_mib")
        cpu = values(w, "server", "cpu_percent")
        rows.append(["SCALE-W", "workers attached", fmt(values(w, "workers", "attached"), 0), "", ""])
        rows.append(["", "server peak RSS MiB", fmt(rss), "< 400 MiB", verdict(median(rss), lambda v: v < 400)])
        rows.append(["", "server CPU % of a core (idle fleet)", fmt(cpu, 2), "< 10 %", verdict(median(cpu), lambda v: v < 10)])
        rows.append(["", "seconds to attach all", fmt(values(w, "workers", "attach_seconds"), 2), "", ""])
    s, failed = load(directory, "S", "hodei")
    notes += failed
    if s or failed:
        reattach = values(s, "storm", "reattach_seconds")
        lost = values(s, "storm", "lost")
        rows.append(["STORM", "seconds until all re-attached", fmt(reattach, 3), "≤ 5 s", verdict(median(reattach), lambda v: v <= 5)])
        rows.append(["", "workers re-attached", fmt(values(s, "storm", "reattached"), 0), "", ""])
        rows.append(["", "jobs lost (max over repetitions)", str(max(lost)) if lost else "n/a", "0",
                     verdict(max(lost) if lost else None, lambda v: v == 0)])
    print(table(["scenario", "figure", "median [min..max]", "goal", ""], rows))
    for note in notes:
        print(f"failed or incomplete: {note}")
    print(f"raw results: {directory}")


def compare(directory):
    # The last field says which repetition is a peer's best: the most jobs/s, the lowest
    # latency. Hodei's median is compared with each peer's best repetition, not its median:
    # the claim that holds whichever way a peer's repetitions fall.
    figures = [
        ("DISPATCH-T", "jobs/s", ("jobs", "jobs_per_second"), ("jobs_per_second",), 1, max),
        ("DISPATCH-L", "p50 ms", ("latency_ms", "submit_to_result", "p50"), ("p50_ms",), 3, min),
        ("DISPATCH-L", "p99 ms", ("latency_ms", "submit_to_result", "p99"), ("p99_ms",), 3, min),
    ]
    rows, notes, ratios = [], [], {}
    for scenario, name, hodei_keys, peer_keys, digits, best in figures:
        key = scenario[-1]
        row = [scenario, name]
        compared = {}
        for system in ["hodei", "gearman", "celery"]:
            runs, failed = load(directory, key, system)
            notes += [f for f in failed if f not in notes]
            vals = values(runs, *(hodei_keys if system == "hodei" else peer_keys))
            compared[system] = median(vals) if system == "hodei" else (best(vals) if vals else None)
            row.append(fmt(vals, digits))
        for peer in ["gearman", "celery"]:
            h, q = compared["hodei"], compared[peer]
            ratio = h / q if h is not None and q else None
            ratios[(scenario, name, peer)] = ratio
            row.append(f"{ratio:.2f}x" if ratio is not None else "n/a")
        rows.append(row)
    print(table(["scenario", "figure", "hodei", "gearman", "celery", "hodei/gearman", "hodei/celery"], rows))
    print("ratios: Hodei's median over each peer's best repetition (most jobs/s, lowest latency)")
    t_g = ratios.get(("DISPATCH-T", "jobs/s", "gearman"))
    t_c = ratios.get(("DISPATCH-T", "jobs/s", "celery"))
    print()
    print("goals: DISPATCH-T ≥ 1.5x Gearman (durable, --sync full, vs Gearman in memory): "
          + (f"{t_g:.2f}x, {'met' if t_g >= 1.5 else 'NOT met'}" if t_g else "n/a"))
    print("       DISPATCH-T ≥ 50x Celery: " + (f"{t_c:.1f}x, {'met' if t_c >= 50 else 'NOT met'}" if t_c else "n/a"))
    print("       latency ratios: below 1 means Hodei is faster")
    for note in notes:
        print(f"failed or incomplete: {note}")
    print(f"raw results: {directory}")


if __name__ == "__main__":
    {"dispatch": dispatch, "compare": compare}[sys.argv[1]](sys.argv[2])
