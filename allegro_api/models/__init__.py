"""Pydantic models of what the client reads from and sends to Allegro."""
