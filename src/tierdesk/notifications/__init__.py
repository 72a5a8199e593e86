"""E-mail notifications, sent from a transactional outbox."""
