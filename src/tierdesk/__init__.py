"""tierdesk: a technical-support platform."""

__version__ = "0.1.0"
