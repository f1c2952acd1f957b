#!/usr/bin/python3
"""The soak: CONNECTIONS connections exchanging messages through `sockwave serve` for SECONDS, with the server's
RSS, heap after a full GC, threads, file descriptors and the echo throughput sampled every INTERVAL seconds.

Writes OUT/samples.csv, OUT/soak.html (one plot per metric, inline SVG) and prints each sample. With --check, fails
(exit 1) when, from the first sample after all connections opened to the last, the server grows beyond the bounds
below or the load saw an error; the bounds are stated in conformance/README.md. Loopback only.
"""
import argparse, os, re, resource, signal, subprocess, sys, time

BOUNDS = {  # growth allowed from the first sample (taken once every connection is open) to any later one
    "heap_mib": ("heap after GC", 16),        # MiB
    "threads": ("threads", 4),
    "fds": ("file descriptors", 32),
    "rss_mib": ("RSS", 128),                  # MiB: the JIT and malloc arenas settle slowly
}


def proc_status(pid):
    status = open("/proc/%d/status" % pid).read()
    rss = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024.0
    threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))
    return rss, threads


def heap_after_gc(pid):
    """The live heap: a class histogram runs a full GC first and sums what survived; one jcmd, one JVM start."""
    out = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], capture_output=True, text=True, timeout=120).stdout
    m = re.search(r"^Total\s+\d+\s+(\d+)", out, re.M)
    return int(m.group(1)) / 1048576.0 if m else float("nan")


def read_counters(path):
    try:
        return [int(x) for x in open(path).read().split()]
    except (OSError, ValueError):
        return None


def svg_plot(title, unit, xs, ys, width=560, height=200):
    pad = 40
    if not xs:
        return ""
    lo, hi = min(ys), max(ys)
    if hi == lo:
        hi = lo + 1
    x1 = max(xs) or 1
    pts = " ".join("%.1f,%.1f" % (pad + (x / x1) * (width - 2 * pad),
                                  height - pad - (y - lo) / (hi - lo) * (height - 2 * pad)) for x, y in zip(xs, ys))
    return ('<figure><figcaption>%s (%s)</figcaption><svg width="%d" height="%d" style="border:1px solid #ccc">'
            '<polyline fill="none" stroke="#1f6feb" stroke-width="2" points="%s"/>'
            '<text x="2" y="%d" font-size="11">%.1f</text><text x="2" y="%d" font-size="11">%.1f</text>'
            '<text x="%d" y="%d" font-size="11">%d s</text></svg></figure>'
            % (title, unit, width, height, pts, pad, hi, height - pad, lo, width - pad - 20, height - 5, x1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--connections", type=int, default=5000)
    p.add_argument("--seconds", type=int, default=600)
    p.add_argument("--interval", type=int, default=10)
    p.add_argument("--out", required=True)
    p.add_argument("--jar", required=True)
    p.add_argument("--classes", required=True)
    p.add_argument("--check", action="store_true")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, 2 * a.connections + 1024))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    if want < a.connections + 256:
        sys.exit("soak: the file descriptor limit (%d) is too low for %d connections" % (want, a.connections))

    server_log = open(os.path.join(a.out, "server.log"), "w")
    server = subprocess.Popen(["java", "-Xmx512m", "-jar", a.jar, "serve", "--echo-only", "--host", "127.0.0.1",
                               "--port", "0", "--quiet", "--idle-timeout", "0"], stdout=subprocess.PIPE,
                              stderr=server_log, text=True)
    line = server.stdout.readline()
    m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
    if not m:
        server.kill()
        sys.exit("soak: sockwave serve did not start: " + line)
    url = "ws://127.0.0.1:%s/echo" % m.group(1)
    counters = os.path.join(a.out, "counters.txt")
    if os.path.exists(counters):
        os.remove(counters)  # a previous run's counters would pass for this one's
    client_log = open(os.path.join(a.out, "client.log"), "w")
    client = subprocess.Popen(["java", "-Xmx1g", "-cp", a.jar + os.pathsep + a.classes,
                               "io.sockwave.conformance.SoakClient", url, str(a.connections), str(a.seconds),
                               counters], stdout=client_log, stderr=subprocess.STDOUT)
    samples = []
    try:
        deadline = time.time() + 180
        while time.time() < deadline and client.poll() is None:
            c = read_counters(counters)
            if c and c[0] + c[3] >= a.connections:
                break
            time.sleep(0.5)
        print("soak: %d connections to %s, %d s, a sample every %d s" % (a.connections, url, a.seconds, a.interval))
        print("soak: t(s) rss(MiB) heap-after-gc(MiB) threads fds open echoes/s errors")
        t0 = prev_t = time.time()
        prev_echoed = (read_counters(counters) or [0, 0, 0, 0, 0])[2]
        while client.poll() is None:
            rss, threads = proc_status(server.pid)
            fds = len(os.listdir("/proc/%d/fd" % server.pid))
            heap = heap_after_gc(server.pid)
            now = time.time()
            c = read_counters(counters) or [0, 0, prev_echoed, 0, 0]
            rate = (c[2] - prev_echoed) / max(now - prev_t, 1e-3)
            prev_t, prev_echoed = now, c[2]
            s = dict(t=round(now - t0), rss_mib=rss, heap_mib=heap, threads=threads, fds=fds, open=c[0],
                     rate=rate, errors=c[3])
            samples.append(s)
            print("soak: %(t)4d %(rss_mib)8.1f %(heap_mib)8.1f %(threads)4d %(fds)6d %(open)6d %(rate)9.0f %(errors)d" % s,
                  flush=True)
            next_at = t0 + len(samples) * a.interval
            while client.poll() is None and time.time() < next_at:
                time.sleep(0.2)
        client_rc = client.wait()
    finally:
        if client.poll() is None:
            client.kill()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()

    with open(os.path.join(a.out, "samples.csv"), "w") as f:
        keys = ["t", "rss_mib", "heap_mib", "threads", "fds", "open", "rate", "errors"]
        f.write(",".join(keys) + "\n")
        for s in samples:
            f.write(",".join("%.1f" % s[k] if isinstance(s[k], float) else str(s[k]) for k in keys) + "\n")
    xs = [s["t"] for s in samples]
    plots = [svg_plot("server RSS", "MiB", xs, [s["rss_mib"] for s in samples]),
             svg_plot("server heap after a full GC", "MiB", xs, [s["heap_mib"] for s in samples]),
             svg_plot("server threads", "count", xs, [s["threads"] for s in samples]),
             svg_plot("server file descriptors", "count", xs, [s["fds"] for s in samples]),
             svg_plot("echoes received by the load", "messages/s", xs, [s["rate"] for s in samples])]
    with open(os.path.join(a.out, "soak.html"), "w") as f:
        f.write("<!doctype html><meta charset=utf-8><title>Sockwave soak</title><h1>Sockwave soak</h1>"
                "<p>%d connections through sockwave serve --echo-only, one message per connection per second, "
                "%d s; a sample every %d s.</p>%s" % (a.connections, a.seconds, a.interval, "".join(plots)))
    print("soak: load exit %d; samples %s; plots %s" % (client_rc, os.path.join(a.out, "samples.csv"),
                                                      os.path.join(a.out, "soak.html")))
    problems = []
    if client_rc != 0:
        problems.append("the load reported errors or connections that did not open (see client.log)")
    if len(samples) < 2:
        problems.append("fewer than two samples")
    else:
        first = samples[0]
        for key, (name, bound) in BOUNDS.items():
            worst = max(s[key] for s in samples[1:])
            if worst - first[key] > bound:
                problems.append("%s grew from %.1f to %.1f (bound +%s)" % (name, first[key], worst, bound))
        # The last window may reach into the load's closing, when it no longer sends.
        slow = [s for s in samples[1:-1] if s["rate"] < 0.5 * a.connections]
        if slow:
            problems.append("echo throughput under half the offered %d/s at t=%s" % (
                a.connections, ",".join(str(s["t"]) for s in slow)))
    for problem in problems:
        print("soak: " + problem)
    if a.check and problems:
        return 1
    print("soak: within bounds" if not problems else "soak: not checked (no --check)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
