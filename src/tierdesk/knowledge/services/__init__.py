"""Every write to the help center: keyword-only functions, one transaction each."""
