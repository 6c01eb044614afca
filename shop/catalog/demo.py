"""Demo catalogue: realistic Polish products with images drawn locally (no downloads)."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from shop.catalog.models import Product, ProductImage, StockReason
from shop.catalog.services.stock import stock_adjust


def with_check_digit(body: str) -> str:
    """Append the GS1 mod-10 check digit to a 12-digit body (EAN-13 / ISBN-13)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


@dataclass(frozen=True)
class DemoProduct:
    sku: str
    name: str
    ean: str
    price: str
    stock: int
    vat: str
    weight: str
    description: str
    color: tuple[int, int, int]


BOOKS = [
    ("Lalka", "Bolesław Prus", "9788373271890"),
    ("Pan Tadeusz", "Adam Mickiewicz", "9788308064443"),
    ("Quo vadis", "Henryk Sienkiewicz", "9788373271272"),
    ("Solaris", "Stanisław Lem", "9788308049488"),
    ("Wiedźmin. Ostatnie życzenie", "Andrzej Sapkowski", "9788375780635"),
    ("Zbrodnia i kara", "Fiodor Dostojewski", "9788373271029"),
    ("Chłopi", "Władysław Reymont", "9788373273399"),
    ("Ferdydurke", "Witold Gombrowicz", "9788308048764"),
    ("Cesarz", "Ryszard Kapuściński", "9788324026753"),
    ("Bieguni", "Olga Tokarczuk", "9788308049051"),
    ("Prowadź swój pług przez kości umarłych", "Olga Tokarczuk", "9788308062494"),
    ("Kamienie na szaniec", "Aleksander Kamiński", "9788310118967"),
    ("Dziady", "Adam Mickiewicz", "9788373270053"),
    ("Przedwiośnie", "Stefan Żeromski", "9788373271557"),
]

JEWELLERY = [
    ("Pierścionek złoty z cyrkonią, próba 585", "1299.00", (212, 175, 55)),
    ("Obrączka złota klasyczna 4 mm, próba 585", "1890.00", (212, 175, 55)),
    ("Kolczyki złote kółka 15 mm, próba 333", "459.00", (212, 175, 55)),
    ("Łańcuszek złoty splot pancerka 45 cm, próba 585", "2150.00", (212, 175, 55)),
    ("Bransoletka srebrna z koniczyną, próba 925", "189.00", (192, 192, 192)),
    ("Pierścionek srebrny z bursztynem, próba 925", "149.00", (192, 192, 192)),
    ("Kolczyki srebrne wiszące z perłą, próba 925", "129.00", (192, 192, 192)),
    ("Naszyjnik srebrny serce, próba 925", "169.00", (192, 192, 192)),
]

ELECTRONICS = [
    ("Słuchawki bezprzewodowe douszne ANC", "349.00", "0.120"),
    ("Ładowarka sieciowa USB-C 65 W GaN", "139.00", "0.150"),
    ("Powerbank 20000 mAh z szybkim ładowaniem", "179.00", "0.420"),
    ("Smartfon 6,5 cala 128 GB, 8 GB RAM", "1199.00", "0.210"),
    ("Głośnik Bluetooth wodoodporny IPX7", "229.00", "0.540"),
    ("Kabel USB-C do USB-C 2 m, 100 W", "39.00", "0.060"),
    ("Smartwatch z pulsometrem i GPS", "499.00", "0.080"),
    ("Czytnik e-booków 6 cali z podświetleniem", "599.00", "0.190"),
]

CLOTHING = [
    ("Koszulka bawełniana męska z nadrukiem", "59.99", ("S", "M", "L", "XL")),
    ("Bluza damska z kapturem oversize", "149.00", ("XS", "S", "M", "L")),
    ("Spodnie jeansowe męskie slim", "189.00", ("30", "32", "34")),
]

PALETTE = [(52, 110, 235), (39, 174, 96), (192, 57, 43), (142, 68, 173), (230, 126, 34)]


def demo_products() -> list[DemoProduct]:
    rng = random.Random(20261127)  # deterministic: a second run finds the same SKUs
    products: list[DemoProduct] = []
    for i, (title, author, isbn) in enumerate(BOOKS, start=1):
        isbn = with_check_digit(isbn[:12])
        products.append(
            DemoProduct(
                sku=f"KS-{i:04d}",
                name=f"{title} — {author}",
                ean=isbn,
                price=f"{rng.randint(24, 69)}.99",
                stock=rng.randint(0, 25),
                vat="5",
                weight="0.450",
                description=f"<p><b>{title}</b> — {author}. Wydanie w miękkiej oprawie.</p>",
                color=PALETTE[i % len(PALETTE)],
            )
        )
    for i, (name, price, color) in enumerate(JEWELLERY, start=1):
        products.append(
            DemoProduct(
                sku=f"BZ-{i:04d}",
                name=name,
                ean=with_check_digit(f"590123400{i:03d}"),
                price=price,
                stock=rng.randint(1, 8),
                vat="23",
                weight="0.010",
                description=f"<p>{name}. Pakowana w eleganckie pudełko, z certyfikatem.</p>",
                color=color,
            )
        )
    for i, (name, price, weight) in enumerate(ELECTRONICS, start=1):
        products.append(
            DemoProduct(
                sku=f"EL-{i:04d}",
                name=name,
                ean=with_check_digit(f"590123410{i:03d}"),
                price=price,
                stock=rng.randint(0, 40),
                vat="23",
                weight=weight,
                description=f"<p>{name}. Gwarancja producenta 24 miesiące.</p>",
                color=PALETTE[i % len(PALETTE)],
            )
        )
    n = 0
    for i, (name, price, sizes) in enumerate(CLOTHING, start=1):
        for size in sizes:
            n += 1
            products.append(
                DemoProduct(
                    sku=f"OD-{i:02d}-{size}",
                    name=f"{name}, rozmiar {size}",
                    ean=with_check_digit(f"590123420{n:03d}"),
                    price=price,
                    stock=rng.randint(0, 15),
                    vat="23",
                    weight="0.300",
                    description=f"<p>{name}. Rozmiar {size}. 100% bawełna.</p>",
                    color=PALETTE[(i + n) % len(PALETTE)],
                )
            )
    return products


def draw_image(product: DemoProduct, variant: int) -> bytes:
    """A 600×600 JPEG: a coloured card with the product's name, made here and now."""
    base = tuple(max(0, c - 40 * variant) for c in product.color)
    img = Image.new("RGB", (600, 600), base)
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 40, 560, 560), outline=(255, 255, 255), width=6)
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", 34)
    except OSError:
        font = ImageFont.load_default()
    words, lines, line = product.name.split(), [], ""
    for word in words:
        if len(line) + len(word) > 18:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    for i, text in enumerate(lines[:7]):
        draw.text((70, 90 + i * 52), text, fill=(255, 255, 255), font=font)
    draw.text((70, 500), product.sku, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def demo_catalog_load(*, images: bool = True) -> int:
    """Create the demo products that do not exist yet; returns how many were created."""
    existing = set(Product.objects.values_list("sku", flat=True))
    created = 0
    for item in demo_products():
        if item.sku in existing:
            continue
        with transaction.atomic():
            product = Product.objects.create(
                sku=item.sku,
                name=item.name,
                ean=item.ean,
                price=Decimal(item.price),
                vat_rate=item.vat,
                weight=Decimal(item.weight),
                description=item.description,
            )
            if images:
                for variant in range(2):
                    image = ProductImage(product=product, position=variant, alt=item.name)
                    image.image.save(
                        f"{item.sku.lower()}-{variant + 1}.jpg",
                        ContentFile(draw_image(item, variant)),
                        save=False,
                    )
                    image.save()
            if item.stock:
                stock_adjust(product=product, delta=item.stock, reason=StockReason.INITIAL)
        created += 1
    return created
