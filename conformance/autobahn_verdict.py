#!/usr/bin/python3
"""The strict verdict on one role's Autobahn run, and its row in the README's results table.

Every case must be OK or INFORMATIONAL, in behavior and in behaviorClose; the run must hold as many cases as the
suite planned. Prints the cases that are not, and exits 0 (all good), 1 (some case is not) or 2 (the run broke).
Writes the row of this role and selection between the README's autobahn-results markers either way, so the table
always shows the last run.
"""
import argparse, datetime, glob, os, re, sys

GOOD = ("OK", "INFORMATIONAL")
START, END = "<!-- autobahn-results:start -->", "<!-- autobahn-results:end -->"
HEADER = ["role", "cases", "selection", "OK", "INFORMATIONAL", "NON-STRICT", "FAILED", "UNIMPLEMENTED", "wall time",
          "run"]


def planned_cases(log_dir):
    for log in glob.glob(os.path.join(log_dir, "wstest-*.log")):
        with open(log, errors="replace") as f:
            m = re.search(r"^Ok, will run (\d+) test cases", f.read(), re.M)
            if m:
                return int(m.group(1))
    return None


def read_rows(path):
    try:
        with open(path) as f:
            lines = f.read().splitlines()[1:]
    except OSError:
        return None
    return [dict(zip(["agent", "case", "behavior", "close", "code", "ms"], l.split("\t"))) for l in lines if l]


def update_readme(readme, row):
    with open(readme) as f:
        text = f.read()
    if START not in text or END not in text:
        print("autobahn: no results markers in %s; table not written" % readme)
        return
    head, rest = text.split(START, 1)
    table, tail = rest.split(END, 1)
    rows = [l for l in table.strip().splitlines()[2:] if l.startswith("|")]
    key = lambda l: [c.strip() for c in l.strip("|").split("|")][0:3:2]
    new = "| " + " | ".join(row) + " |"
    rows = [l for l in rows if key(l) != key(new)] + [new]
    rows.sort(key=lambda l: (key(l)[0], key(l)[1]))
    out = "\n".join(["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)] + rows)
    with open(readme, "w") as f:
        f.write(head + START + "\n" + out + "\n" + END + tail)


def main():
    p = argparse.ArgumentParser()
    for a in ("--summary", "--log", "--role", "--selection", "--seconds", "--suite-rc"):
        p.add_argument(a, required=True)
    p.add_argument("--readme", default="", help="README to write the row into; empty: none")
    a = p.parse_args()
    rows = read_rows(a.summary)
    planned = planned_cases(a.log)
    count = lambda b: sum(1 for r in rows if r["behavior"] == b) if rows else 0
    broke = rows is None or not rows or planned is None or len(rows) != planned or a.suite_rc == "2"
    bad = [r for r in rows or [] if r["behavior"] not in GOOD or r["close"] not in GOOD]
    minutes, seconds = divmod(int(a.seconds), 60)
    row = [a.role, str(len(rows or [])), a.selection, str(count("OK")), str(count("INFORMATIONAL")),
                             str(count("NON-STRICT")), str(count("FAILED")), str(count("UNIMPLEMENTED")),
                             "%d min %02d s" % (minutes, seconds),
                             datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
                             + ("" if not broke else ", incomplete")]
    if a.readme:
        update_readme(a.readme, row)
    print("autobahn %s (%s): %d of %s planned cases, %d not OK/INFORMATIONAL, %d min %02d s" % (
        a.role, a.selection, len(rows or []), planned, len(bad), minutes, seconds))
    for r in bad:
        print("  %s: behavior %s, close %s, remote close code %s" % (r["case"], r["behavior"], r["close"], r["code"]))
    if broke:
        print("autobahn %s: the run is incomplete or broke (suite exit %s); see %s" % (a.role, a.suite_rc, a.log))
        return 2
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
