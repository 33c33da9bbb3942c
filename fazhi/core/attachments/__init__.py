"""Files attached to a record or one of its timeline events (附件)."""
