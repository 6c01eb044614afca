from django.urls import path

from shop.allegro.views import accounts

app_name = "allegro"
urlpatterns = [
    path("config/", accounts.config, name="config"),
    path("link/", accounts.link, name="link"),
    path("callback/", accounts.callback, name="callback"),
    path("unlink/", accounts.unlink, name="unlink"),
    path("check/", accounts.check, name="check"),
    path("switch/", accounts.switch, name="switch"),
    path("accounts/add/", accounts.add_account, name="add_account"),
]
