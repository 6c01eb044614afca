"""The seeded product catalog (``GET /sale/products``).

Each product sits in a leaf category and carries the *product* parameters of that category
(``options.describesProduct``), given as ``(parameter id, value)`` pairs: a dictionary value is its
value id (``"245226_1"``), anything else the literal value; a tuple of two strings is a range.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

_NAMESPACE = uuid.UUID("6f1c1c52-9a4e-4c55-8a5e-2f3b1d7a0c11")

# One EAN shared by two catalog products (the same phone sold in two colours under one code),
# so a GTIN lookup finds several products.
SHARED_GTIN = "5901234123457"


def product_id(key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, key))


def isbn13(serial: int) -> str:
    """A valid ISBN-13 of a Polish publisher (978-83-...)."""
    body = f"97883{serial:07d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def ean13(serial: int) -> str:
    """A valid EAN-13 with the Polish prefix 590."""
    body = f"590{serial:09d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


@dataclass(frozen=True)
class ProductSeed:
    key: str
    name: str
    category_id: str
    parameters: tuple[tuple[str, str | tuple[str, str]], ...]
    gtin: str | None = None
    mpn: str | None = None
    producer: str | None = None


_BOOKS: list[tuple[str, str, str, int, int, str, str]] = [
    # title, author, publisher, year, pages, category, cover value id
    ("Lalka", "Bolesław Prus", "Wydawnictwo Greg", 2019, 720, "66779", "245226_1"),
    ("Pan Tadeusz", "Adam Mickiewicz", "Wydawnictwo Znak", 2020, 384, "66779", "245226_1"),
    ("Quo vadis", "Henryk Sienkiewicz", "Wydawnictwo Greg", 2018, 592, "66779", "245226_2"),
    ("Chłopi", "Władysław Reymont", "Wydawnictwo MG", 2021, 896, "66779", "245226_1"),
    ("Ferdydurke", "Witold Gombrowicz", "Wydawnictwo Literackie", 2016, 312, "66779", "245226_2"),
    ("Bieguni", "Olga Tokarczuk", "Wydawnictwo Literackie", 2019, 456, "66779", "245226_1"),
    ("Uwikłanie", "Zygmunt Miłoszewski", "Wydawnictwo W.A.B.", 2017, 432, "79155", "245226_2"),
    ("Ziarno prawdy", "Zygmunt Miłoszewski", "Wydawnictwo W.A.B.", 2018, 400, "79155", "245226_2"),
    ("Kasacja", "Remigiusz Mróz", "Wydawnictwo Czwarta Strona", 2020, 544, "79155", "245226_2"),
    (
        "Morderstwo w Orient Expressie",
        "Agatha Christie",
        "Wydawnictwo Dolnośląskie",
        2021,
        256,
        "79155",
        "245226_1",
    ),
    ("Ostatnie życzenie", "Andrzej Sapkowski", "SuperNOWA", 2014, 332, "79157", "245226_2"),
    ("Miecz przeznaczenia", "Andrzej Sapkowski", "SuperNOWA", 2014, 384, "79157", "245226_2"),
    ("Solaris", "Stanisław Lem", "Wydawnictwo Literackie", 2016, 336, "79157", "245226_1"),
    ("Hobbit, czyli tam i z powrotem", "J.R.R. Tolkien", "Iskry", 2019, 320, "79157", "245226_1"),
    ("Atomowe nawyki", "James Clear", "Wydawnictwo Galaktyka", 2019, 336, "79158", "245226_2"),
    (
        "Kuchnia polska. Przepisy",
        "Praca zbiorowa",
        "Wydawnictwo Buchmann",
        2022,
        280,
        "79158",
        "245226_1",
    ),
    (
        "Pan Kleks w kosmosie",
        "Jan Brzechwa",
        "Wydawnictwo Nasza Księgarnia",
        2017,
        168,
        "79159",
        "245226_1",
    ),
    (
        "Dzieci z Bullerbyn",
        "Astrid Lindgren",
        "Wydawnictwo Nasza Księgarnia",
        2018,
        256,
        "79159",
        "245226_1",
    ),
    ("Kajko i Kokosz. Szkoła latania", "Janusz Christa", "Egmont", 2020, 56, "79168", "245226_1"),
    ("Steve Jobs", "Walter Isaacson", "Wydawnictwo Insignis", 2015, 704, "79160", "245226_2"),
]

_JEWELLERY: list[tuple[str, str, tuple[tuple[str, str | tuple[str, str]], ...]]] = [
    (
        "Pierścionek złoty z cyrkonią próba 585",
        "19734",
        (("3770", "3770_1"), ("3771", "3771_3"), ("3773", "3773_2"), ("3775", "2.10")),
    ),
    (
        "Pierścionek srebrny z perłą próba 925",
        "19734",
        (("3770", "3770_2"), ("3772", "3772_2"), ("3773", "3773_6"), ("3775", "3.40")),
    ),
    (
        "Obrączka złota klasyczna próba 750",
        "19734",
        (("3770", "3770_1"), ("3771", "3771_4"), ("3773", "3773_1"), ("3775", "4.80")),
    ),
    (
        "Kolczyki srebrne sztyfty serduszka 925",
        "19735",
        (("3770", "3770_2"), ("3772", "3772_2"), ("3773", "3773_1"), ("3775", "1.20")),
    ),
    (
        "Kolczyki złote z diamentem próba 585",
        "19735",
        (("3770", "3770_1"), ("3771", "3771_3"), ("3773", "3773_3"), ("3775", "1.60")),
    ),
    (
        "Naszyjnik srebrny łańcuszek ankier 925",
        "19736",
        (("3770", "3770_2"), ("3772", "3772_2"), ("3773", "3773_1"), ("3775", "5.50")),
    ),
    (
        "Naszyjnik złoty z szafirem próba 375",
        "19736",
        (("3770", "3770_1"), ("3771", "3771_2"), ("3773", "3773_4"), ("3775", "3.10")),
    ),
    (
        "Naszyjnik ze stali chirurgicznej z rubinem",
        "19736",
        (("3770", "3770_3"), ("3773", "3773_5"), ("3775", "6.00")),
    ),
    (
        "Bransoletka srebrna celebrytka 925",
        "19737",
        (("3770", "3770_2"), ("3772", "3772_2"), ("3773", "3773_2"), ("3775", "2.00")),
    ),
    (
        "Bransoletka pozłacana z perłami",
        "19737",
        (("3770", "3770_4"), ("3773", "3773_6"), ("3775", "7.30")),
    ),
    (
        "Bransoletka złota pancerka próba 585",
        "19737",
        (("3770", "3770_1"), ("3771", "3771_3"), ("3773", "3773_1"), ("3775", "9.90")),
    ),
    (
        "Pierścionek ze stali chirurgicznej minimalistyczny",
        "19734",
        (("3770", "3770_3"), ("3773", "3773_1"), ("3775", "1.90")),
    ),
]

_CLOTHING: list[tuple[str, str, tuple[tuple[str, str | tuple[str, str]], ...]]] = [
    (
        "Koszulka Nike Air Max męska czarna",
        "1471",
        (("8413", "8413_1"), ("8414", "8414_1"), ("8416", "8416_1")),
    ),
    (
        "Bluza Nike Tech Fleece męska szara",
        "1472",
        (("8413", "8413_1"), ("8414", "8414_2"), ("8416", "8416_3")),
    ),
    (
        "Koszulka Adidas Essentials damska biała",
        "1456",
        (("8413", "8413_2"), ("8414", "8414_3"), ("8416", "8416_2")),
    ),
    (
        "Bluza Adidas Adicolor damska czerwona",
        "1457",
        (("8413", "8413_2"), ("8414", "8414_4"), ("8416", "8416_4")),
    ),
    (
        "Spodnie Reserved Basic jeansy męskie niebieskie",
        "1473",
        (("8413", "8413_3"), ("8414", "8414_5"), ("8416", "8416_5")),
    ),
    (
        "Spodnie Reserved Basic damskie czarne",
        "1458",
        (("8413", "8413_3"), ("8414", "8414_5"), ("8416", "8416_1")),
    ),
    (
        "Kurtka 4F Outhorn męska zielona",
        "1474",
        (("8413", "8413_4"), ("8414", "8414_6"), ("8416", "8416_6")),
    ),
    (
        "Koszulka 4F Outhorn damska wielokolorowa",
        "1456",
        (("8413", "8413_4"), ("8414", "8414_6"), ("8416", "8416_7")),
    ),
    (
        "Buty Puma Classics męskie sneakersy białe",
        "1482",
        (("8413", "8413_5"), ("8414", "8414_7"), ("8416", "8416_2")),
    ),
    (
        "Buty Nike Air Max damskie czarne",
        "1481",
        (("8413", "8413_1"), ("8414", "8414_1"), ("8416", "8416_1")),
    ),
    (
        "Sukienka Reserved Basic letnia niebieska",
        "1459",
        (("8413", "8413_3"), ("8414", "8414_5"), ("8416", "8416_5")),
    ),
    (
        "Bluza Puma Classics męska czarna",
        "1472",
        (("8413", "8413_5"), ("8414", "8414_7"), ("8416", "8416_1")),
    ),
]

_PHONES: list[tuple[str, tuple[tuple[str, str | tuple[str, str]], ...]]] = [
    (
        "Smartfon Apple iPhone 15 6 GB / 128 GB czarny",
        (
            ("4380", "4380_1"),
            ("4381", "4381_1"),
            ("4388", "4388_2"),
            ("4389", "4389_2"),
            ("4390", "3349"),
            ("4391", "6.10"),
            ("4392", "4392_1"),
        ),
    ),
    (
        "Smartfon Apple iPhone 16 8 GB / 256 GB biały",
        (
            ("4380", "4380_1"),
            ("4381", "4381_2"),
            ("4388", "4388_3"),
            ("4389", "4389_3"),
            ("4390", "3561"),
            ("4391", "6.10"),
            ("4392", "4392_2"),
        ),
    ),
    (
        "Smartfon Samsung Galaxy S24 8 GB / 256 GB czarny",
        (
            ("4380", "4380_2"),
            ("4381", "4381_3"),
            ("4388", "4388_3"),
            ("4389", "4389_3"),
            ("4390", "4000"),
            ("4391", "6.20"),
            ("4392", "4392_1"),
        ),
    ),
    (
        "Smartfon Samsung Galaxy A55 8 GB / 128 GB niebieski",
        (
            ("4380", "4380_2"),
            ("4381", "4381_4"),
            ("4388", "4388_3"),
            ("4389", "4389_2"),
            ("4390", "5000"),
            ("4391", "6.60"),
            ("4392", "4392_3"),
        ),
    ),
    (
        "Smartfon Xiaomi Redmi Note 13 6 GB / 128 GB czarny",
        (
            ("4380", "4380_3"),
            ("4381", "4381_5"),
            ("4388", "4388_2"),
            ("4389", "4389_2"),
            ("4390", "5000"),
            ("4391", "6.67"),
            ("4392", "4392_1"),
        ),
    ),
    (
        "Smartfon Xiaomi Redmi Note 13 6 GB / 128 GB zielony",
        (
            ("4380", "4380_3"),
            ("4381", "4381_5"),
            ("4388", "4388_2"),
            ("4389", "4389_2"),
            ("4390", "5000"),
            ("4391", "6.67"),
            ("4392", "4392_4"),
        ),
    ),
    (
        "Smartfon Motorola moto g84 12 GB / 256 GB niebieski",
        (
            ("4380", "4380_4"),
            ("4381", "4381_6"),
            ("4388", "4388_4"),
            ("4389", "4389_3"),
            ("4390", "5000"),
            ("4391", "6.55"),
            ("4392", "4392_3"),
        ),
    ),
]

_OTHER: list[tuple[str, str, tuple[tuple[str, str | tuple[str, str]], ...]]] = [
    (
        "Słuchawki bezprzewodowe JBL Tune 520BT nauszne",
        "50001",
        (("223331", "JBL"), ("5001", "5001_2"), ("5002", "5002_1"), ("5004", ("20", "20000"))),
    ),
    (
        "Słuchawki dokanałowe Sony WF-C700N Bluetooth",
        "50001",
        (("223331", "Sony"), ("5001", "5001_1"), ("5002", "5002_1"), ("5004", ("20", "20000"))),
    ),
    (
        "Słuchawki przewodowe Sennheiser HD 206",
        "50001",
        (
            ("223331", "Sennheiser"),
            ("5001", "5001_3"),
            ("5002", "5002_2"),
            ("5004", ("21", "20000")),
        ),
    ),
    (
        "Ładowarka sieciowa Samsung 25W USB-C",
        "50002",
        (("223331", "Samsung"), ("5101", "25.0"), ("5102", "5102_1")),
    ),
    (
        "Ładowarka Baseus GaN 65W USB-C USB-A",
        "50002",
        (("223331", "Baseus"), ("5101", "65.0"), ("5102", "5102_1")),
    ),
    (
        "Ładowarka Apple 20W USB-C",
        "50002",
        (("223331", "Apple"), ("5101", "20.0"), ("5102", "5102_1")),
    ),
    (
        "Laptop Lenovo IdeaPad 5 16 GB RAM 15,6 cala",
        "4910",
        (("223331", "Lenovo"), ("5201", "AMD Ryzen 7 7730U"), ("5202", "16"), ("4391", "15.6")),
    ),
    (
        "Tablet Samsung Galaxy Tab A9+ 11 cali",
        "4911",
        (("223331", "Samsung"), ("5201", "Snapdragon 695"), ("5202", "4"), ("4391", "11.0")),
    ),
    (
        "Klocki LEGO Classic 11013 kreatywne przezroczyste",
        "11765",
        (("223331", "LEGO"), ("5301", "5301_2"), ("5302", "500")),
    ),
    (
        "Klocki LEGO City 60337 pociąg pasażerski",
        "11765",
        (("223331", "LEGO"), ("5301", "5301_3"), ("5302", "764")),
    ),
    (
        "Puzzle Trefl 1000 elementów Kraków nocą",
        "11767",
        (("223331", "Trefl"), ("5301", "5301_4"), ("5302", "1000")),
    ),
    ("Lalka Barbie Fashionistas w sukience", "11766", (("223331", "Mattel"), ("5301", "5301_2"))),
    ("Hantle żeliwne 2 x 5 kg komplet", "3931", (("223331", "Hop-Sport"), ("17448", "10.500"))),
    (
        "Mata do jogi 6 mm antypoślizgowa fioletowa",
        "3932",
        (("223331", "Gymtek"), ("17448", "0.900")),
    ),
    ("Namiot turystyczny 3-osobowy Campus", "3941", (("223331", "Campus"), ("17448", "3.200"))),
    ("Plecak turystyczny 40 l Quechua", "3942", (("223331", "Quechua"), ("17448", "1.100"))),
    (
        "Lampa biurkowa LED z ładowarką indukcyjną",
        "1520",
        (("223331", "Philips"), ("17448", "1.400")),
    ),
    (
        "Pościel bawełniana 160x200 szara komplet",
        "1531",
        (("223331", "Dekoria"), ("17448", "1.800")),
    ),
]


def _seeds() -> list[ProductSeed]:
    seeds: list[ProductSeed] = []
    for n, (title, author, publisher, year, pages, category, cover) in enumerate(_BOOKS, 1):
        isbn = isbn13(1000 + n * 37)
        seeds.append(
            ProductSeed(
                key=f"book-{n}",
                name=f"{title} - {author}",
                category_id=category,
                parameters=(
                    ("245669", isbn),
                    ("7773", title),
                    ("223489", author),
                    ("223541", publisher),
                    ("74", str(year)),
                    ("223545", str(pages)),
                    ("245226", cover),
                    ("16", "16_1"),
                ),
                gtin=isbn,
                producer=publisher,
            )
        )
    for n, (name, category, params) in enumerate(_JEWELLERY, 1):
        gtin = ean13(200000 + n)
        seeds.append(
            ProductSeed(
                f"jewellery-{n}",
                name,
                category,
                (*params, ("223331", "Yes Biżuteria"), ("225693", gtin)),
                gtin=gtin,
                mpn=f"YB-{n:04d}",
                producer="Yes Biżuteria",
            )
        )
    for n, (name, category, params) in enumerate(_CLOTHING, 1):
        gtin = ean13(300000 + n)
        seeds.append(
            ProductSeed(
                f"clothing-{n}",
                name,
                category,
                (*params, ("225693", gtin)),
                gtin=gtin,
                mpn=f"CL-{n:04d}",
            )
        )
    for n, (name, params) in enumerate(_PHONES, 1):
        # The two Redmi Note 13 colours share one EAN (see SHARED_GTIN).
        gtin = SHARED_GTIN if "Redmi" in name else ean13(400000 + n)
        mpn = f"PH-{n:04d}"
        seeds.append(
            ProductSeed(
                f"phone-{n}",
                name,
                "165",
                (*params, ("225693", gtin), ("224017", mpn)),
                gtin=gtin,
                mpn=mpn,
            )
        )
    for n, (name, category, params) in enumerate(_OTHER, 1):
        gtin = ean13(500000 + n)
        mpn = f"OT-{n:04d}"
        seeds.append(
            ProductSeed(
                f"other-{n}",
                name,
                category,
                (*params, ("225693", gtin), ("224017", mpn)),
                gtin=gtin,
                mpn=mpn,
            )
        )
    return seeds


PRODUCTS: list[ProductSeed] = _seeds()
