"""The forms of the customer portal and of the agent console."""
