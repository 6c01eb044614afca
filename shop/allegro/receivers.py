"""The Allegro app listens to the catalog and orders apps (they never import it)."""
