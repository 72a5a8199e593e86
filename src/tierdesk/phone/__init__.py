"""Phone support: numbers, voice webhooks, the call queue, the call log."""
