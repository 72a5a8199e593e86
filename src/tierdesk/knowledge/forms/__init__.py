"""Forms of the help center's pages: they check the shape of the input; services check the rules."""
