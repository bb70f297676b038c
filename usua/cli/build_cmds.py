"""Placeholder: commands are registered here."""
