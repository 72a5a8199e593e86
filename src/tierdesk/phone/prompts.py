"""What callers hear, in English and Italian: TwiML built with the `twilio` package.

Each prompt is a translated string said in the caller's language (Say language en-US or it-IT);
the language menu says both.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from twilio.twiml.voice_response import Gather, VoiceResponse

SAY_LANGUAGE = {"en": "en-US", "it": "it-IT"}
VOICE_LANGUAGES = ("en", "it")


def say(node: VoiceResponse | Gather, text: str, language: str) -> None:
    """Append a Say of `text` in `language` (en or it)."""
    node.say(text, language=SAY_LANGUAGE.get(language, "en-US"))


def language_menu(action: str) -> VoiceResponse:
    """The first answer: press 1 for English, 2 for Italian (each said in its own language)."""
    response = VoiceResponse()
    gather = Gather(num_digits=1, action=action, method="POST", timeout=6)
    with translation.override("en"):
        say(gather, _("Welcome to support. For English, press 1."), "en")
    with translation.override("it"):
        say(gather, _("For Italian, press 2."), "it")
    response.append(gather)
    response.redirect(action, method="POST")
    return response


def ask_pin(action: str, language: str, *, again: bool = False) -> VoiceResponse:
    """Ask for the account's six-digit support PIN."""
    response = VoiceResponse()
    gather = Gather(num_digits=6, action=action, method="POST", timeout=10, finish_on_key="#")
    with translation.override(language):
        if again:
            say(gather, _("That PIN is not known."), language)
        say(
            gather,
            _("Please enter your account's six-digit support PIN, shown on your home page."),
            language,
        )
    response.append(gather)
    response.redirect(action, method="POST")
    return response


def not_entitled(language: str) -> VoiceResponse:
    """The caller's plan has no phone support on this line: where to go instead, then hang up."""
    response = VoiceResponse()
    with translation.override(language):
        say(
            response,
            _(
                "Your plan does not include phone support. Visit our help center, ask our "
                "virtual assistant or ask the community on our website. Goodbye."
            ),
            language,
        )
    response.hangup()
    return response


def unknown_caller(language: str) -> VoiceResponse:
    """No account was identified: where to go instead, then hang up."""
    response = VoiceResponse()
    with translation.override(language):
        say(
            response,
            _(
                "We could not identify your account. Visit our help center, ask our virtual "
                "assistant or ask the community on our website. Goodbye."
            ),
            language,
        )
    response.hangup()
    return response


def ask_severity(action: str, language: str, *, second_line: bool) -> VoiceResponse:
    """Ask for the severity: 1 critical, 2 significant, 3 a feature, 4 a question."""
    response = VoiceResponse()
    gather = Gather(num_digits=1, action=action, method="POST", timeout=8)
    with translation.override(language):
        if second_line:
            say(gather, _("You are calling second-line support."), language)
        say(
            gather,
            _(
                "For a critical problem that blocks your work, press 1. For a significant "
                "problem, press 2. If one feature is affected, press 3. For a question, press 4."
            ),
            language,
        )
    response.append(gather)
    response.redirect(action, method="POST")
    return response


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return _("An agent will answer you shortly.")
    minutes = (seconds + 59) // 60
    return ngettext(
        "Your estimated wait is about %(minutes)d minute.",
        "Your estimated wait is about %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def enqueue(
    response: VoiceResponse,
    *,
    queue: str,
    action: str,
    wait_url: str,
    language: str,
    wait_seconds: int | None,
) -> VoiceResponse:
    """Say the estimated wait (when given) and put the caller in the provider's queue."""
    if wait_seconds is not None:
        with translation.override(language):
            say(response, _wait_text(wait_seconds), language)
    response.enqueue(queue, action=action, method="POST", wait_url=wait_url, wait_url_method="POST")
    return response


def offer_callback(
    *, action: str, queue: str, dequeued: str, wait_url: str, language: str, wait_seconds: int
) -> VoiceResponse:
    """Say the estimated wait and offer a callback (press 1); no key: the caller holds."""
    response = VoiceResponse()
    gather = Gather(num_digits=1, action=action, method="POST", timeout=6)
    with translation.override(language):
        say(gather, _wait_text(wait_seconds), language)
        say(
            gather,
            _("To be called back when an agent is free, press 1. To hold, press 2."),
            language,
        )
    response.append(gather)
    return enqueue(
        response,
        queue=queue,
        action=dequeued,
        wait_url=wait_url,
        language=language,
        wait_seconds=None,
    )


def callback_booked(number: str, language: str) -> VoiceResponse:
    """The callback is booked: the number we will call, then hang up."""
    response = VoiceResponse()
    with translation.override(language):
        spoken = " ".join(number.lstrip("+"))
        say(
            response,
            _("We will call you back at %(number)s, keeping your place in the queue. Goodbye.")
            % {"number": spoken},
            language,
        )
    response.hangup()
    return response


def voicemail(action: str, language: str) -> VoiceResponse:
    """Outside the region's hours: leave a message, which becomes a case."""
    response = VoiceResponse()
    with translation.override(language):
        say(
            response,
            _(
                "Our support line is closed now. Leave a message after the tone, with your "
                "problem and how to reach you: it becomes a case that we answer when we open."
            ),
            language,
        )
    response.record(action=action, method="POST", max_length=300, play_beep=True, timeout=5)
    response.hangup()
    return response


def voicemail_saved(language: str, case_id: int | None) -> VoiceResponse:
    """The message was recorded (and a case opened): thanks, then hang up."""
    response = VoiceResponse()
    with translation.override(language):
        if case_id is not None:
            text = _("Thank you. Your message is case number %(case)d. Goodbye.") % {
                "case": case_id
            }
        else:
            text = _("Thank you. Goodbye.")
        say(response, text, language)
    response.hangup()
    return response


def hold_music(language: str, wait_seconds: int) -> VoiceResponse:
    """What a waiting caller hears, over and over (the queue's wait URL)."""
    response = VoiceResponse()
    with translation.override(language):
        say(response, _wait_text(wait_seconds), language)
        say(response, _("Thank you for holding."), language)
    response.pause(length=20)
    return response


def leave() -> VoiceResponse:
    """The wait URL's answer once an agent took the call: the caller leaves the queue (the
    Enqueue's action then connects them, `connect_agent`)."""
    response = VoiceResponse()
    response.leave()
    return response


def connect_agent(number: str, *, caller_id: str, action: str, language: str) -> VoiceResponse:
    """Say that an agent answers, then Dial the agent's number (from the support number)."""
    response = VoiceResponse()
    with translation.override(language):
        say(response, _("Connecting you to an agent."), language)
    options: dict[str, str] = {"action": action, "method": "POST"}
    if caller_id:
        options["caller_id"] = caller_id
    response.dial(number, **options)
    return response


def agent_unreachable(number: str, language: str) -> VoiceResponse:
    """The agent's phone did not answer: they will call back; then hang up."""
    response = VoiceResponse()
    with translation.override(language):
        spoken = " ".join(number.lstrip("+"))
        say(
            response,
            _("The agent could not be reached. They will call you back at %(number)s. Goodbye.")
            % {"number": spoken},
            language,
        )
    response.hangup()
    return response


def empty() -> VoiceResponse:
    """Nothing to say (status callbacks)."""
    return VoiceResponse()
