"""Phone support: the provider's auth token (webhook signatures) and the call queue's knobs."""

from .env import env_bool, env_int, env_list, env_str

# Development only: the token the simulator signs with when DEBUG is on and none is configured.
PHONE_DEV_AUTH_TOKEN = "tierdesk-dev-phone-token"  # noqa: S105 (public on purpose)

# The telephony provider's auth token: every webhook must carry an X-Twilio-Signature made with
# it. Empty (production without the variable): every webhook is refused with 403.
PHONE_AUTH_TOKEN = env_str(
    "PHONE_AUTH_TOKEN", PHONE_DEV_AUTH_TOKEN if env_bool("DEBUG", False) else ""
)
# The public base URL the provider calls (the signature covers the full URL); empty: the
# request's own URL. Set it behind a proxy that rewrites the host or scheme.
PHONE_WEBHOOK_BASE_URL = env_str("PHONE_WEBHOOK_BASE_URL", "")
# Past this estimated wait (seconds) the caller is offered a callback.
PHONE_CALLBACK_AFTER_SECONDS = env_int("PHONE_CALLBACK_AFTER_SECONDS", 300)
# Support plans whose severity 1 calls are answered around the clock (product.md).
PHONE_ROUND_THE_CLOCK_PLANS = env_list("PHONE_ROUND_THE_CLOCK_PLANS", ["premier", "premier_plus"])
# An agent counts as available while the phone console polled within this many seconds.
PHONE_PRESENCE_SECONDS = env_int("PHONE_PRESENCE_SECONDS", 120)
