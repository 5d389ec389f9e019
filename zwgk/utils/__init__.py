"""Helpers shared by every app.  No models live here."""
