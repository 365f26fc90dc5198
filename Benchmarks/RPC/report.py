#!/usr/bin/env python3
"""Prints the table of `make bench-rpc` from run.sh's raw.tsv (server, metric, rep, value):
one row per figure, one column per server, each cell median [min..max] over the
repetitions; then the ratios of the medians to grpc-go and grpc C++, and the goals of
shared BENCHMARKS.md for every server that is not one of those two references.

    report.py RAW.tsv ENV.txt SERVER...
"""
import statistics
import sys
from collections import defaultdict

# (metric, label, unit, higher_is_better, format)
ROWS = [
    ("U.reqps", "RPC-U unary, c8 m32", "req/s", True, "{:,.0f}"),
    ("U.lat_us", "RPC-U mean latency", "µs", False, "{:,.0f}"),
    ("U.cpu_us", "RPC-U server CPU per call", "µs", False, "{:.1f}"),
    ("U.hwm_kib", "RPC-U peak RSS (VmHWM)", "MiB", False, None),
    ("L.lat_us", "RPC-L mean latency, c1 m1", "µs", False, "{:,.0f}"),
    ("L.reqps", "RPC-L one at a time", "req/s", True, "{:,.0f}"),
    ("L.cpu_us", "RPC-L server CPU per call", "µs", False, "{:.1f}"),
    ("B1.msgps", "RPC-B ping-pong, 1 stream", "msgs/s", True, "{:,.0f}"),
    ("B1.cpu_us", "RPC-B 1 server CPU per msg", "µs", False, "{:.1f}"),
    ("B64.msgps", "RPC-B ping-pong, 64 streams", "msgs/s", True, "{:,.0f}"),
    ("B64.cpu_us", "RPC-B 64 server CPU per msg", "µs", False, "{:.1f}"),
    ("B64.hwm_kib", "RPC-B 64 peak RSS (VmHWM)", "MiB", False, None),
    ("H1.msgps", "RPC-B 1 stream, nghttp2 client", "msgs/s", True, "{:,.0f}"),
    ("H1.cpu_us", "RPC-B 1 (nghttp2) CPU per msg", "µs", False, "{:.1f}"),
    ("H64.msgps", "RPC-B 64 streams, nghttp2 client", "msgs/s", True, "{:,.0f}"),
    ("H64.cpu_us", "RPC-B 64 (nghttp2) CPU per msg", "µs", False, "{:.1f}"),
    ("I.bytes_per_conn", "RPC-I RSS per idle connection", "KiB", False, None),
    ("I.rss0_kib", "RPC-I RSS before connections", "MiB", False, None),
    ("I.hwm_kib", "RPC-I peak RSS with conns", "MiB", False, None),
]

RATIO_ROWS = [
    ("U.reqps", "RPC-U req/s", True),
    ("L.lat_us", "RPC-L latency", False),
    ("B1.msgps", "RPC-B 1 msgs/s", True),
    ("B64.msgps", "RPC-B 64 msgs/s", True),
    ("H1.msgps", "RPC-B 1 msgs/s, nghttp2 client", True),
    ("H64.msgps", "RPC-B 64 msgs/s, nghttp2 client", True),
    ("U.cpu_us", "RPC-U CPU/call", False),
    ("I.bytes_per_conn", "RPC-I bytes/conn", False),
]

REFS = ["grpc-go", "grpc-cpp"]


def scale(metric, v):
    if metric.endswith("hwm_kib") or metric.endswith("rss0_kib"):
        return v / 1024.0  # KiB -> MiB
    if metric == "I.bytes_per_conn":
        return v / 1024.0  # bytes -> KiB
    return v


def fmt_value(metric, fmt, v):
    v = scale(metric, v)
    if fmt is None:
        return f"{v:,.1f}"
    return fmt.format(v)


def cell(metric, fmt, values):
    if not values:
        return "-"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt_value(metric, fmt, med)
    return f"{fmt_value(metric, fmt, med)} [{fmt_value(metric, fmt, min(values))}..{fmt_value(metric, fmt, max(values))}]"


def table(header, rows):
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    lines = []
    fmt_row = lambda r: "| " + " | ".join(
        c.ljust(widths[i]) if i < 2 else c.rjust(widths[i]) for i, c in enumerate(r)
    ) + " |"
    lines.append(fmt_row(header))
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines += [fmt_row(r) for r in rows]
    return "\n".join(lines)


def main():
    raw, env, servers = sys.argv[1], sys.argv[2], sys.argv[3:]
    data = defaultdict(list)  # (server, metric) -> values
    with open(raw) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 4:
                continue
            server, metric, _rep, value = parts
            try:
                data[(server, metric)].append(float(value))
            except ValueError:
                pass
    med = {k: statistics.median(v) for k, v in data.items() if v}

    print()
    print(open(env).read().rstrip())
    print()
    print("Median [min..max] over the repetitions; server pinned to core 0, load to core 1.")
    rows = []
    for metric, label, unit, _hib, fmt in ROWS:
        if not any((s, metric) in data for s in servers):
            continue
        rows.append([label, unit] + [cell(metric, fmt, data.get((s, metric), [])) for s in servers])
    print(table(["figure", "unit"] + servers, rows))

    for ref in REFS:
        if ref not in servers:
            continue
        print()
        print(f"Ratios of medians to {ref} (>1 = better than {ref}; latency, CPU and memory inverted):")
        rows = []
        for metric, label, hib in RATIO_ROWS:
            r = []
            base = med.get((ref, metric))
            for s in servers:
                v = med.get((s, metric))
                if v is None or base is None or v <= 0 or base <= 0:
                    r.append("-")
                else:
                    r.append(f"{(v / base) if hib else (base / v):.2f}x")
            if any(c != "-" for c in r):
                rows.append([label, ""] + r)
        print(table(["figure", ""] + servers, rows))

    others = [s for s in servers if s not in REFS]
    if others and all(r in servers for r in REFS):
        print()
        print("Goals (BENCHMARKS.md), ratios of medians in this run:")
        go, cpp = "grpc-go", "grpc-cpp"
        for s in others:
            checks = []

            def ratio(metric, ref):  # this server's median / the reference's
                a, b = med.get((s, metric)), med.get((ref, metric))
                if not a or not b:
                    return None
                return a / b

            def check(desc, value, ok):
                if value is None:
                    checks.append(f"  {desc}: not measured")
                else:
                    checks.append(f"  {desc}: {value:.2f} -> {'meets' if ok(value) else 'MISSES'}")

            check("RPC-U >= 2.0x grpc-go", ratio("U.reqps", go), lambda v: v >= 2.0)
            check("RPC-U >= 3x grpc C++", ratio("U.reqps", cpp), lambda v: v >= 3.0)
            check("RPC-B 64 >= 2x grpc-go", ratio("B64.msgps", go), lambda v: v >= 2.0)
            check("RPC-B 1 >= 2x grpc-go", ratio("B1.msgps", go), lambda v: v >= 2.0)
            check("RPC-B 64 >= 2x grpc-go, nghttp2 client", ratio("H64.msgps", go), lambda v: v >= 2.0)
            check("RPC-B 1 >= 2x grpc-go, nghttp2 client", ratio("H1.msgps", go), lambda v: v >= 2.0)
            check("RPC-L latency <= 0.8x grpc-go's", ratio("L.lat_us", go), lambda v: v <= 0.8)
            kib = med.get((s, "I.bytes_per_conn"))
            check("RPC-I KiB per idle connection < 64", None if kib is None else kib / 1024,
                  lambda v: v < 64)
            print(f"{s}:")
            print("\n".join(checks))


if __name__ == "__main__":
    main()
