from shop.allegro.models.accounts import AllegroAccount, LinkStatus, Province

__all__ = ["AllegroAccount", "LinkStatus", "Province"]
