#!/usr/bin/env python3
"""The HTML report at scale: how much memory `tact score --html-dir` takes to write the report
folder of N conversations, how big its page is, and how long headless Chromium takes to load the
page and then to open one conversation (whose section is loaded from its chunk file).

    cargo build --release
    python3 bench/html_report.py 1000 10000 100000      # TACT=target/release/tact by default
    FORM=page python3 bench/html_report.py 1000 10000   # the one-file page (-o) instead

Needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver) and GNU time.
The conversations are examples/complaints.jsonl repeated with new ids over 37 agents. The load
time is the page's own performance.timing (navigation start to the end of its load event).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TACT = os.environ.get("TACT", os.path.join(ROOT, "target", "release", "tact"))
FORM = os.environ.get("FORM", "folder")


def corpus(n, path):
    with open(os.path.join(ROOT, "examples", "complaints.jsonl")) as f:
        seeds = [json.loads(line) for line in f]
    with open(path, "w") as out:
        for i in range(n):
            c = dict(seeds[i % len(seeds)], id=f"T-{i}", agent=f"agent-{i % 37}")
            out.write(json.dumps(c) + "\n")


class Browser:
    def __init__(self, profile):
        self.port = 9555
        self.driver = subprocess.Popen(
            ["chromedriver", f"--port={self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}"]
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium", "args": args}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                         data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=900) as response:
            return json.load(response)["value"]

    def load_ms(self, page):
        s = f"/session/{self.session}"
        self.call("POST", f"{s}/url", {"url": "file://" + page})
        # WebDriver returns once the document is complete, which can be just before the load
        # event has ended: wait for its end to be recorded.
        script = """
            var done = arguments[arguments.length - 1];
            (function wait() {
              var t = performance.timing;
              if (t.loadEventEnd > 0) done(t.loadEventEnd - t.navigationStart);
              else setTimeout(wait, 5);
            })();"""
        self.call("POST", f"{s}/timeouts", {"script": 600000})
        return self.call("POST", f"{s}/execute/async", {"script": script, "args": []})

    def open_ms(self, index):
        """Opens conversation `index` as a link would; the time until its section is shown."""
        s = f"/session/{self.session}"
        script = """
            var done = arguments[arguments.length - 1], start = performance.now();
            location.hash = '#c-' + arguments[0];
            (function wait() {
              var shown = document.querySelector('section.conversation.shown');
              if (shown && shown.id === 'c-' + arguments[0]) done(performance.now() - start);
              else setTimeout(wait, 5);
            })();"""
        script = script.replace("arguments[0]", str(int(index)))
        self.call("POST", f"{s}/timeouts", {"script": 60000})
        return self.call("POST", f"{s}/execute/async", {"script": script, "args": [index]})

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.driver.kill()


def main(sizes):
    with tempfile.TemporaryDirectory() as tmp:
        browser = Browser(os.path.join(tmp, "profile"))
        try:
            print(f"form: {FORM}; tact: {TACT}")
            print("| conversations | page | folder | tact's peak memory | write | Chromium load | open the last conversation |")
            print("| --- | --- | --- | --- | --- | --- | --- |")
            for n in sizes:
                data = os.path.join(tmp, f"{n}.jsonl")
                corpus(n, data)
                if FORM == "page":
                    page = out = os.path.join(tmp, f"{n}.html")
                    where = ["--format", "html", "-o", page]
                else:
                    out = os.path.join(tmp, f"{n}")
                    page = os.path.join(out, "index.html")
                    where = ["--html-dir", out]
                timed = subprocess.run(["/usr/bin/time", "-f", "%e %M", TACT, "score", data] + where,
                                       capture_output=True, text=True, check=True)
                seconds, kb = timed.stderr.strip().splitlines()[-1].split()
                size = os.path.getsize(page) / 1e6
                total = size if FORM == "page" else sum(
                    os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs) / 1e6
                load = browser.load_ms(page) / 1000
                opened = browser.open_ms(n - 1) / 1000
                print(f"| {n:,} | {size:,.1f} MB | {total:,.0f} MB | {int(kb) / 1000:,.0f} MB | "
                      f"{float(seconds):.1f} s | {load:.2f} s | {opened:.2f} s |", flush=True)
                if FORM == "page":
                    os.remove(page)
                else:
                    shutil.rmtree(out)
        finally:
            browser.close()


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [1000, 10000])
