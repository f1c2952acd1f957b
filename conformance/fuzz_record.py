#!/usr/bin/python3
"""Reads one Jazzer run's log and writes its row between the README's fuzz-results markers.

usage: fuzz_record.py TARGET MINUTES MAVEN_EXIT LOG README
Prints the row; exits 1 when the run found something (or broke), 0 otherwise.
"""
import datetime, re, sys

START, END = "<!-- fuzz-results:start -->", "<!-- fuzz-results:end -->"
HEADER = ["target", "minutes", "runs", "exec/s", "coverage (edges)", "corpus", "result", "run"]


def main():
    target, minutes, rc, log, readme = sys.argv[1:6]
    text = open(log, errors="replace").read()
    done = re.findall(r"^Done (\d+) runs in (\d+) second", text, re.M)
    stats = re.findall(r"^#\d+\s+\w+\s+cov: (\d+) ft: \d+ corp: (\d+)/\S+.*?exec/s: (\d+)", text, re.M)
    finding = (re.search(r"^== Java Exception: (.*)$", text, re.M)
               or re.search(r"FuzzTestFindingException: (.*)$", text, re.M))
    runs, seconds = (done[-1] if done else ("?", "?"))
    cov, corpus, execs = (stats[-1] if stats else ("?", "?", "?"))
    if finding:
        result = "FINDING: " + finding.group(1)[:80].replace("|", "\\|")
    elif rc != "0":
        result = "run failed (maven exit %s), see log" % rc
    else:
        result = "no finding"
    row = [target.rsplit(".", 1)[-1], minutes, runs, execs, cov, corpus, result,
           datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")]
    print("run-fuzz: " + " | ".join(row))
    content = open(readme).read()
    if START in content and END in content:
        head, rest = content.split(START, 1)
        table, tail = rest.split(END, 1)
        rows = [l for l in table.strip().splitlines()[2:] if l.startswith("|")]
        new = "| " + " | ".join(row) + " |"
        rows = [l for l in rows if l.split("|")[1].strip() != row[0]] + [new]
        rows.sort()
        out = "\n".join(["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)] + rows)
        open(readme, "w").write(head + START + "\n" + out + "\n" + END + tail)
    return 0 if result == "no finding" else 1


if __name__ == "__main__":
    sys.exit(main())
