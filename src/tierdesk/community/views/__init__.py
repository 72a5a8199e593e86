"""The forum's pages (thin: the rules live in selectors.forum_access and the services)."""
