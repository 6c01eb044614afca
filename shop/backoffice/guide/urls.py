from django.urls import path

from shop.backoffice.guide import views

app_name = "guide"
urlpatterns = [
    path("", views.guide_page, name="index"),
    path("img/<str:name>", views.guide_image, name="image"),
    path("<slug:name>/", views.guide_page, name="page"),
]
