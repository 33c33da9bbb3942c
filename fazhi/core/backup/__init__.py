"""Backup and restore: the database and the stored attachments in one checked archive."""
