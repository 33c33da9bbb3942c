"""Deadline rules (data with legal basis) and the Clock that applies them."""
