"""Routes of phone support: the provider's webhooks and the agents' and supervisors' pages."""

from django.urls import path

from .views import console, webhooks

app_name = "phone"

urlpatterns = [
    path("phone/voice/", webhooks.voice_incoming, name="voice-incoming"),
    path("phone/voice/language/", webhooks.voice_language, name="voice-language"),
    path("phone/voice/pin/", webhooks.voice_pin, name="voice-pin"),
    path("phone/voice/severity/", webhooks.voice_severity, name="voice-severity"),
    path("phone/voice/hold/", webhooks.voice_hold, name="voice-hold"),
    path("phone/voice/wait/", webhooks.voice_wait, name="voice-wait"),
    path("phone/voice/dequeued/", webhooks.voice_dequeued, name="voice-dequeued"),
    path("phone/voice/status/", webhooks.voice_status, name="voice-status"),
    path("phone/voice/recording/", webhooks.voice_recording, name="voice-recording"),
    path("console/phone/", console.phone_console, name="console"),
    path("console/phone/queue/", console.phone_queue, name="console-queue"),
    path("console/phone/take/", console.phone_take, name="console-take"),
    path("console/phone/calls/<int:pk>/wrap-up/", console.phone_wrap_up, name="console-wrap-up"),
    path("console/phone/calls/<int:pk>/transfer/", console.phone_transfer, name="console-transfer"),
    path("console/phone/log/", console.phone_log_case, name="console-log"),
    path("console/phone/figures/", console.phone_figures, name="figures"),
]
