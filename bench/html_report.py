#!/usr/bin/env python3
"""The HTML report at scale: how much memory `tact score --format html` takes to write a page of
N conversations, how big the page is, and how long headless Chromium takes to load it.

    cargo build --release
    python3 bench/html_report.py 1000 10000 100000      # TACT=target/release/tact by default

Needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver) and GNU time.
The conversations are examples/complaints.jsonl repeated with new ids over 37 agents. The load
time is the page's own performance.timing (navigation start to the end of its load event).
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TACT = os.environ.get("TACT", os.path.join(ROOT, "target", "release", "tact"))


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
        script = "var t = performance.timing; return t.loadEventEnd - t.navigationStart;"
        return self.call("POST", f"{s}/execute/sync", {"script": script, "args": []})

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.driver.kill()


def main(sizes):
    with tempfile.TemporaryDirectory() as tmp:
        browser = Browser(os.path.join(tmp, "profile"))
        try:
            print("| conversations | page | tact's peak memory | write | Chromium load |")
            print("| --- | --- | --- | --- | --- |")
            for n in sizes:
                data, page = os.path.join(tmp, f"{n}.jsonl"), os.path.join(tmp, f"{n}.html")
                corpus(n, data)
                timed = subprocess.run(
                    ["/usr/bin/time", "-f", "%e %M", TACT, "score", data, "--format", "html",
                     "-o", page], capture_output=True, text=True, check=True)
                seconds, kb = timed.stderr.strip().splitlines()[-1].split()
                size = os.path.getsize(page) / 1e6
                load = browser.load_ms(page) / 1000
                print(f"| {n:,} | {size:,.0f} MB | {int(kb) / 1000:,.0f} MB | {float(seconds):.1f} s | {load:.1f} s |",
                      flush=True)
                os.remove(page)
        finally:
            browser.close()


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [1000, 10000])
