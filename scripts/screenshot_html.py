"""Screenshot an HTML file in headless Debian Chromium with NO system fonts.

    python scripts/screenshot_html.py build/report.html build/look/report-html.png [--width 1280] [--height 5000]

fontconfig is pointed at an empty font folder, so every glyph on the screenshot
comes from the font the page embeds (a missing one shows as a box, or as
nothing). Chromium is driven over its DevTools pipe (standard library only):
the screenshot is taken once the page has loaded AND its web fonts are ready
(`document.fonts.ready`); Chromium's own --screenshot flag does not wait for a
data-URI font and catches the page with its text still invisible.

Prints the page's font faces and their status (e.g. `ReportCJK loaded`).
Needs `apt-get install -y chromium`.
"""

from __future__ import annotations

import argparse
import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--remote-debugging-pipe"]
ATTEMPTS = 3
NO_FONTS_CONF = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


class Pipe:
    """Chromium's DevTools protocol over fds 3 (to the browser) and 4 (from it), NUL-separated JSON."""

    def __init__(self, to_browser, from_browser):
        self.out, self.inp, self.next_id, self.buffer = to_browser, from_browser, 0, b""

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.out.write(json.dumps(message).encode() + b"\0")
        self.out.flush()
        while True:
            reply = self.receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def receive(self) -> dict:
        while b"\0" not in self.buffer:
            chunk = os.read(self.inp.fileno(), 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, method: str) -> dict:
        while True:
            event = self.receive()
            if event.get("method") == method:
                return event


def screenshot(html: Path, png: Path, width: int, height: int) -> list[str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("chromium not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for sub in ("fonts", "cache", "profile"):
            (tmp / sub).mkdir()
        (tmp / "fonts.conf").write_text(NO_FONTS_CONF.format(fonts=tmp / "fonts", cache=tmp / "cache"))
        env = {**os.environ, "FONTCONFIG_FILE": str(tmp / "fonts.conf")}
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        for fd in (to_r, from_w):  # 5..9 (dash takes one digit), above 4 so that moving them to 3 and 4 cannot clobber each other
            moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 5)
            os.close(fd)
            to_r, from_w = (moved, from_w) if fd == to_r else (to_r, moved)
        # the browser reads commands on its fd 3 and writes replies on its fd 4
        # (the shell moves the two pipe ends to fds 3 and 4, then becomes the browser)
        proc = subprocess.Popen(["sh", "-c", f'exec "$0" "$@" 3<&{to_r} 4>&{from_w} {to_r}<&- {from_w}>&-',
                                 browser, *FLAGS, f"--user-data-dir={tmp / 'profile'}",
                                 f"--window-size={width},{height}", "about:blank"],
                                env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=None if os.environ.get("SCREENSHOT_DEBUG") else subprocess.DEVNULL, pass_fds=(to_r, from_w))
        os.close(to_r)
        os.close(from_w)
        try:
            pipe = Pipe(os.fdopen(to_w, "wb"), os.fdopen(from_r, "rb"))
            target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            pipe.send("Page.enable", session=session)
            pipe.send("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
            for attempt in range(1, ATTEMPTS + 1):
                pipe.send("Page.navigate", {"url": html.resolve().as_uri()}, session)
                pipe.wait_for("Page.loadEventFired")
                faces = pipe.send("Runtime.evaluate", {
                    "expression": "document.fonts.ready.then(() => [...document.fonts]"
                                  ".map(f => f.family.replace(/\"/g, '') + ' ' + f.status).join('\\n'))",
                    "awaitPromise": True, "returnByValue": True}, session)["result"].get("value", "")
                if " error" not in faces:
                    break
                # Chromium with no font at all fails to load a web font now and then (about 1 load in 6
                # here; never with even one system font present): load the page again, and say so
                print(f"attempt {attempt}: a web font failed to load ({faces.strip()})", file=sys.stderr)
            shot = pipe.send("Page.captureScreenshot", {"format": "png"}, session)
            png.parent.mkdir(parents=True, exist_ok=True)
            png.write_bytes(base64.b64decode(shot["data"]))
            try:
                pipe.send("Browser.close")
            except RuntimeError:
                pass
        finally:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return [line for line in faces.splitlines() if line]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("html", type=Path)
    p.add_argument("png", type=Path)
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--height", type=int, default=5000)
    args = p.parse_args(argv)
    faces = screenshot(args.html, args.png, args.width, args.height)
    print(f"{args.png}  (fonts: {', '.join(faces) or 'none declared'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
