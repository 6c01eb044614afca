"""The merchant's guide: safe rendering, every page and link resolves, "Pomoc" on each screen."""

from __future__ import annotations

import re

import pytest
from django.urls import NoReverseMatch, reverse

from shop.backoffice.guide.markdown import render
from shop.backoffice.guide.pages import PAGE_FOR_SCREEN, guide_dir


def test_markdown_subset_renders_and_escapes_everything_else():
    html = render(
        "# Tytuł\n\n"
        "Zwykły **gruby** i *pochylony* tekst z `kod <b>`.\n"
        "<script>alert(1)</script>\n\n"
        "- pierwszy\n- drugi z [linkiem](inna.md#sekcja)\n\n"
        "1. raz\n2. dwa\n   - pod\n     dalej\n   - drugie\n3. trzy\n\n"
        "| A | B |\n|---|---|\n| 1 | **2** |\n\n"
        "> **Uwaga:** cytat\n\n"
        "<!-- notatka dla redakcji -->\n"
        "## Połącz ponownie\n\n"
        "[zły](javascript:alert(1)) ![obraz](img/a.png) [wyjście](../../etc/passwd)\n",
        resolve_link=lambda t: "/pomoc/" + t,
        resolve_image=lambda t: "/obrazy/" + t,
    )
    assert "<h1>Tytuł</h1>" in html
    assert "<strong>gruby</strong>" in html and "<em>pochylony</em>" in html
    assert "<code>kod &lt;b&gt;</code>" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<li>drugi z <a href="/pomoc/inna.md#sekcja">linkiem</a></li>' in html
    assert (
        "<ol><li>raz</li><li>dwa<ul><li>pod dalej</li><li>drugie</li></ul></li><li>trzy</li></ol>"
        in html
    )
    assert "<thead><tr><th>A</th><th>B</th></tr></thead>" in html
    assert "<td><strong>2</strong></td>" in html
    assert "<blockquote><p><strong>Uwaga:</strong> cytat</p></blockquote>" in html
    assert "notatka" not in html
    assert '<h2 id="polacz-ponownie">' in html
    assert "javascript" not in html and "passwd" not in html.split("wyjście")[0]
    assert 'href="../../etc/passwd"' not in html
    assert '<img src="/obrazy/img/a.png" alt="obraz">' in html


def _pages() -> list[str]:
    return sorted(p.stem for p in guide_dir().glob("*.md"))


def test_every_screen_maps_to_an_existing_page():
    pages = set(_pages())
    assert {"README", "konto-allegro", "do-potwierdzenia", "wstrzymane-zmiany"} <= pages
    assert set(PAGE_FOR_SCREEN.values()) <= pages
    for name in PAGE_FOR_SCREEN:
        try:
            reverse(name)
        except NoReverseMatch:
            reverse(name, args=[1])  # a screen of one object


@pytest.mark.django_db
@pytest.mark.parametrize("name", _pages())
def test_each_page_renders_with_working_links_and_images(staff_client, name):
    url = reverse("guide:index") if name == "README" else reverse("guide:page", args=[name])
    response = staff_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    article = html.split('id="guide"', 1)[1]
    assert "<h1>" in article
    for href in re.findall(r'<a href="(/backend/pomoc/[^"#]*)', article):
        assert staff_client.get(href).status_code == 200, href
    for src in re.findall(r'<img src="([^"]+)"', article):
        assert src.startswith("/backend/pomoc/img/"), src
        image = staff_client.get(src)
        assert image["Content-Type"] == "image/png", src
    assert ".md" not in "".join(re.findall(r'href="([^"]+)"', article))


@pytest.mark.django_db
def test_unknown_pages_and_paths_outside_the_guide_are_404(staff_client):
    assert staff_client.get("/backend/pomoc/nie-ma-takiej/").status_code == 404
    # Refused before the view by the middleware (400), or by the view's name check (404).
    assert staff_client.get("/backend/pomoc/img/..%2F..%2Fmanage.py").status_code in (400, 404)
    assert staff_client.get("/backend/pomoc/img/manage.py").status_code == 404
    assert staff_client.get("/backend/pomoc/img/nie-ma.png").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "page"),
    [
        ("/backend/", "strona-startowa"),
        ("/backend/allegro/config/", "konto-allegro"),
        ("/backend/allegro/offers/", "lista-ofert"),
        ("/backend/allegro/orders/", "zamowienia-allegro"),
        ("/backend/allegro/shipping-rates/", "cenniki-dostawy"),
        ("/backend/allegro/sync/", "stany-i-ceny"),
        ("/backend/scheduler/", "import-zamowien"),
        ("/backend/allegro/invoices/awaiting/", "faktury"),
        ("/backend/allegro/returns/", "zwroty"),
        ("/backend/allegro/settlements/", "rozliczenia"),
        ("/backend/allegro/messages/", "wiadomosci"),
        ("/backend/allegro/issues/", "dyskusje-i-oceny"),
        ("/backend/allegro/ratings/", "dyskusje-i-oceny"),
    ],
)
def test_each_screen_links_to_its_guide_page(site_client, linked_account, url, page):
    html = site_client.get(url).content.decode()
    assert f'id="guide-link" href="/backend/pomoc/{page}/"' in html


@pytest.mark.django_db
def test_screens_without_a_guide_page_have_no_help_link(site_client):
    html = site_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert 'id="guide-link"' not in html
