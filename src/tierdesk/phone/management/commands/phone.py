"""`tierdesk phone simulate` and `tierdesk phone load`: phone support without a provider.

    tierdesk phone simulate --from +15550001 --digits 1,123456,1 [--to +390200000101] [--url URL]
    tierdesk phone load --calls 120 [--agents 6] [--handle 240] [--patience 600] [--seed 1]
                        [--url URL --pin 123456 --from-prefix +1555]

`simulate` drives the voice webhooks with requests signed with PHONE_AUTH_TOKEN (or --token):
in-process (Django's test client on this database) or against a running server (--url), and
prints what the caller hears. `load` simulates a busy hour in virtual time (phone.loadsim) and
prints the waits, the abandon rate, the callbacks and the estimate's mean absolute error; with
--url it also sends each simulated arrival (and abandon) to the server as a signed webhook
sequence and prints the webhooks' answer times.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tierdesk.accounts.models import SupportNumber

from ...loadsim import simulate_hour
from ...simulator import Simulator, django_transport, http_transport


class Command(BaseCommand):
    help = "Phone support without a provider: simulate a call, or a busy hour."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        simulate = sub.add_parser("simulate", help="One call through the voice webhooks.")
        simulate.add_argument("--from", dest="from_number", required=True)
        simulate.add_argument("--to", dest="to_number", default="")
        simulate.add_argument("--digits", default="", help="Keys for each menu, comma-separated.")
        simulate.add_argument("--url", default="", help="A running server; default: in-process.")
        simulate.add_argument("--token", default="", help="Default: PHONE_AUTH_TOKEN.")
        simulate.add_argument("--hang-up", action="store_true", help="Hang up once queued.")
        load = sub.add_parser("load", help="A busy hour: arrivals, agents, abandons.")
        load.add_argument("--calls", type=int, required=True)
        load.add_argument("--agents", type=int, default=4)
        load.add_argument("--handle", type=float, default=240.0, help="Mean handle time (s).")
        load.add_argument("--patience", type=float, default=600.0, help="Mean patience (s).")
        load.add_argument("--seed", type=int, default=1)
        load.add_argument("--url", default="")
        load.add_argument("--token", default="")
        load.add_argument("--pin", default="", help="With --url: the PIN the callers give.")
        load.add_argument("--to", dest="to_number", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "simulate":
            self._simulate(options)
        else:
            self._load(options)

    def _simulator(self, options: dict[str, Any]) -> Simulator:
        token = options["token"] or settings.PHONE_AUTH_TOKEN
        if not token:
            raise CommandError("Set PHONE_AUTH_TOKEN (or give --token): requests must be signed.")
        url = options["url"]
        if url:
            return Simulator(http_transport(url), base_url=url, token=token)
        return Simulator(django_transport("localhost"), base_url="http://localhost", token=token)

    def _to(self, options: dict[str, Any]) -> str:
        if options["to_number"]:
            return str(options["to_number"])
        first = SupportNumber.objects.filter(line="first").first() if not options["url"] else None
        return first.number if first else ""

    def _simulate(self, options: dict[str, Any]) -> None:
        digits = [d.strip() for d in options["digits"].split(",") if d.strip()]
        if any(not d.replace("#", "").isdigit() for d in digits):
            raise CommandError("--digits takes keys separated by commas, e.g. 1,123456,1")
        sim = self._simulator(options)
        result = sim.call(
            digits,
            from_number=options["from_number"],
            to_number=self._to(options),
            hang_up_in_queue=options["hang_up"],
        )
        for turn in result.turns:
            keys = turn.params.get("Digits")
            self.stdout.write(f"> POST {turn.path}" + (f"  (pressed {keys})" if keys else ""))
            if turn.status != 200:
                self.stdout.write(f"< {turn.status} {turn.twiml[:80]}")
            for text, language in zip(turn.said, turn.languages, strict=True):
                self.stdout.write(f'< {language} "{text}"')
            verbs = [v for v in turn.verbs if v not in {"Say", "Gather"}]
            if verbs:
                self.stdout.write(f"< [{', '.join(verbs)}]")
        self.stdout.write(f"= {result.outcome}" + (f" in {result.queue}" if result.queue else ""))
        if result.outcome == "refused":
            raise CommandError("The server refused the request (403: check the token and URL).")

    def _load(self, options: dict[str, Any]) -> None:
        if options["calls"] < 1 or options["agents"] < 1:
            raise CommandError("--calls and --agents must be at least 1.")
        report = simulate_hour(
            calls=options["calls"],
            agents=options["agents"],
            handle_seconds=options["handle"],
            patience_seconds=options["patience"],
            callback_after_seconds=settings.PHONE_CALLBACK_AFTER_SECONDS,
            seed=options["seed"],
        )
        out = self.stdout.write
        out(
            f"calls {report.calls}, agents {options['agents']}, "
            f"mean handle {options['handle']:.0f} s"
        )
        out(f"answered {report.answered}, abandoned {report.abandoned} ({report.abandon_rate:.1%})")
        out(f"callbacks {report.callbacks}")
        out(
            f"wait of the answered: mean {report.mean_wait:.0f} s, p50 {report.p50_wait:.0f} s, "
            f"p95 {report.p95_wait:.0f} s"
        )
        out(
            f"estimate told at arrival vs real wait: MAE {report.estimate_mae:.0f} s "
            f"over {len(report.pairs)} answered callers"
        )
        if options["url"]:
            self._drive(options, report.arrivals)

    def _drive(self, options: dict[str, Any], arrivals: list[Any]) -> None:
        if not options["pin"]:
            raise CommandError("--url needs --pin: the support PIN the simulated callers give.")
        sim = self._simulator(options)
        times: list[float] = []
        outcomes: dict[str, int] = {}
        for call in arrivals:
            number = f"+1555{call.id:07d}"
            started = time.perf_counter()
            result = sim.call(
                ["1", options["pin"], str(call.severity)],
                from_number=number,
                to_number=options["to_number"],
                hang_up_in_queue=call.abandoned_at is not None,
            )
            times.append((time.perf_counter() - started) * 1000 / max(len(result.turns), 1))
            outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        self.stdout.write(
            f"server {options['url']}: {len(arrivals)} calls sent, outcomes {outcomes}, "
            f"mean webhook answer {sum(times) / len(times):.1f} ms, p95 {p95:.1f} ms"
        )
