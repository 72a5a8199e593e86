"""`tierdesk serve`: the web server and the background worker together; Ctrl-C stops both."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the web server and the background worker together until interrupted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        tierdesk = [sys.executable, "-m", "tierdesk"]
        worker = subprocess.Popen([*tierdesk, "run_huey"])  # noqa: S603
        web = subprocess.Popen(  # noqa: S603
            [*tierdesk, "runserver", "--noreload", f"{host}:{port}"]
        )
        self.stdout.write(f"tierdesk is serving on http://{host}:{port}/ (Ctrl-C stops it)")
        children = [web, worker]
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [child.returncode for child in children if child.returncode not in (0, -2, None)]
        if failed:
            raise SystemExit(1)
