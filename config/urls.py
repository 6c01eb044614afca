from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", RedirectView.as_view(url="/backend/", permanent=False)),
    path("healthz", healthz),
    path("i18n/", include("django.conf.urls.i18n")),
    path("backend/scheduler/", include("shop.scheduler.urls")),
    path("backend/allegro/", include("shop.allegro.urls")),
    path("backend/pomoc/", include("shop.backoffice.guide.urls")),
    path("backend/", admin.site.urls),
]
if settings.DEBUG:
    # `make run` serves static files through the URLs (runserver --nostatic), so they pass the
    # same middleware as every page: a crafted ``/static/../`` path is refused, not followed.
    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
