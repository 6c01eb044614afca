"""API areas; each resource is reached as an attribute of :class:`allegro_api.AllegroClient`."""
