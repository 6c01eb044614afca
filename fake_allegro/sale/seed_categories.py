"""The seeded Allegro category tree and the parameters of its leaf categories.

Category and parameter ids are numeric strings; dictionary value ids are ``"<paramId>_<n>"``
(as on Allegro). Each leaf belongs to a parameter *group* (books, jewellery, clothing, phones, ...)
that decides which parameters ``GET /sale/categories/{id}/parameters`` returns for it.
"""

from __future__ import annotations

from typing import Any

# (id, name, group-or-None, keywords, children); a node with children is never a leaf.
Node = tuple[str, str, str | None, tuple[str, ...], list["Node"]]


def _leaf(cid: str, name: str, group: str, *keywords: str) -> Node:
    return (cid, name, group, keywords, [])


def _node(cid: str, name: str, children: list[Node]) -> Node:
    return (cid, name, None, (), children)


TREE: list[Node] = [
    _node(
        "7",
        "Książki i Komiksy",
        [
            _node(
                "91421",
                "Książki",
                [
                    _leaf("66779", "Literatura piękna", "books", "powieść", "proza", "klasyka"),
                    _leaf("79155", "Kryminał", "books", "kryminał", "thriller", "sensacja"),
                    _leaf("79157", "Fantastyka", "books", "fantasy", "sci-fi", "wiedźmin"),
                    _leaf("79158", "Poradniki", "books", "poradnik", "przewodnik"),
                    _leaf("79159", "Literatura dziecięca", "books", "bajki", "dla dzieci"),
                    _leaf("79160", "Biografie", "books", "biografia", "wspomnienia"),
                ],
            ),
            _node(
                "79167",
                "Komiksy",
                [
                    _leaf("79168", "Komiksy polskie", "books", "komiks", "kajko"),
                    _leaf("79169", "Manga", "books", "manga", "anime"),
                ],
            ),
            _leaf("79170", "Czasopisma", "books", "czasopismo", "magazyn"),
        ],
    ),
    _node(
        "19732",
        "Biżuteria i zegarki",
        [
            _node(
                "19733",
                "Biżuteria",
                [
                    _leaf("19734", "Pierścionki", "jewellery", "pierścionek", "obrączka"),
                    _leaf("19735", "Kolczyki", "jewellery", "kolczyki", "sztyfty"),
                    _leaf("19736", "Naszyjniki", "jewellery", "naszyjnik", "łańcuszek"),
                    _leaf("19737", "Bransoletki", "jewellery", "bransoletka"),
                ],
            ),
            _node(
                "19750",
                "Zegarki",
                [
                    _leaf("19751", "Zegarki damskie", "general", "zegarek", "damski"),
                    _leaf("19752", "Zegarki męskie", "general", "zegarek", "męski"),
                ],
            ),
        ],
    ),
    _node(
        "1454",
        "Moda",
        [
            _node(
                "1455",
                "Odzież damska",
                [
                    _leaf("1456", "Koszulki", "clothing", "koszulka", "t-shirt", "damska"),
                    _leaf("1457", "Bluzy", "clothing", "bluza", "damska"),
                    _leaf("1458", "Spodnie", "clothing", "spodnie", "jeansy", "damskie"),
                    _leaf("1459", "Sukienki", "clothing", "sukienka"),
                ],
            ),
            _node(
                "1470",
                "Odzież męska",
                [
                    _leaf("1471", "Koszulki", "clothing", "koszulka", "t-shirt", "męska"),
                    _leaf("1472", "Bluzy", "clothing", "bluza", "męska"),
                    _leaf("1473", "Spodnie", "clothing", "spodnie", "jeansy", "męskie"),
                    _leaf("1474", "Kurtki", "clothing", "kurtka", "męska"),
                ],
            ),
            _node(
                "1480",
                "Obuwie",
                [
                    _leaf("1481", "Obuwie damskie", "clothing", "buty", "damskie"),
                    _leaf("1482", "Obuwie męskie", "clothing", "buty", "męskie", "sneakersy"),
                ],
            ),
        ],
    ),
    _node(
        "42540",
        "Elektronika",
        [
            _node(
                "4",
                "Telefony i akcesoria",
                [
                    _leaf("165", "Smartfony", "phones", "smartfon", "telefon", "iphone"),
                    _leaf("50001", "Słuchawki", "headphones", "słuchawki", "douszne"),
                    _leaf("50002", "Ładowarki", "chargers", "ładowarka", "zasilacz", "usb-c"),
                    _leaf("50003", "Etui i pokrowce", "general", "etui", "case", "pokrowiec"),
                ],
            ),
            _node(
                "491",
                "Komputery",
                [
                    _leaf("4910", "Laptopy", "computers", "laptop", "notebook"),
                    _leaf("4911", "Tablety", "computers", "tablet", "ipad"),
                    _leaf("4912", "Monitory", "general", "monitor", "ekran"),
                ],
            ),
            _node(
                "10",
                "RTV i AGD",
                [
                    _leaf("1001", "Telewizory", "general", "telewizor", "tv", "smart tv"),
                    _leaf("1002", "Głośniki przenośne", "general", "głośnik", "bluetooth"),
                ],
            ),
        ],
    ),
    _node(
        "5",
        "Dom i Ogród",
        [
            _node(
                "1500",
                "Meble",
                [
                    _leaf("1501", "Krzesła", "general", "krzesło"),
                    _leaf("1502", "Stoły", "general", "stół"),
                ],
            ),
            _node(
                "1510",
                "Ogród",
                [
                    _leaf("1511", "Narzędzia ogrodnicze", "general", "sekator", "łopata", "grabie"),
                    _leaf("1512", "Meble ogrodowe", "general", "leżak", "ogrodowe"),
                ],
            ),
            _leaf("1520", "Oświetlenie", "general", "lampa", "żarówka", "oświetlenie"),
            _node(
                "1540",
                "Kuchnia",
                [
                    _leaf("1541", "Garnki", "household", "garnek", "rondel", "garnki"),
                    _leaf("1542", "Patelnie", "household", "patelnia", "wok"),
                ],
            ),
            _node(
                "1530",
                "Wyposażenie",
                [
                    _leaf("1531", "Pościel", "general", "pościel", "poszewka"),
                    _leaf("1532", "Ręczniki", "general", "ręcznik"),
                ],
            ),
        ],
    ),
    _node(
        "3919",
        "Sport i turystyka",
        [
            _node(
                "3920",
                "Rowery i akcesoria",
                [
                    _leaf("3921", "Rowery", "general", "rower", "mtb"),
                    _leaf("3922", "Kaski rowerowe", "general", "kask"),
                ],
            ),
            _node(
                "3930",
                "Siłownia i fitness",
                [
                    _leaf("3931", "Hantle", "general", "hantle", "hantel"),
                    _leaf("3932", "Maty do ćwiczeń", "general", "mata", "joga"),
                ],
            ),
            _node(
                "3940",
                "Turystyka",
                [
                    _leaf("3941", "Namioty", "general", "namiot"),
                    _leaf("3942", "Plecaki", "general", "plecak"),
                ],
            ),
        ],
    ),
    _node(
        "1429",
        "Uroda",
        [
            # Like Allegro's cosmetics: the EAN rule names Stan, which these leaves do not list.
            _leaf("1430", "Pielęgnacja twarzy", "cosmetics", "krem", "serum", "tonik"),
            _leaf("1431", "Perfumy", "cosmetics", "perfumy", "woda toaletowa"),
        ],
    ),
    _node(
        "11763",
        "Dziecko",
        [
            _node(
                "11764",
                "Zabawki",
                [
                    _leaf("11765", "Klocki", "toys", "klocki", "lego"),
                    _leaf("11766", "Lalki", "toys", "lalka"),
                    _leaf("11767", "Puzzle", "toys", "puzzle", "układanka"),
                ],
            ),
            _leaf("11770", "Wózki dziecięce", "general", "wózek", "spacerówka"),
            _leaf("11771", "Odzież dziecięca", "clothing", "body", "dziecięca"),
        ],
    ),
]


# --- parameters ---------------------------------------------------------------------------------

STAN = "11323"
STAN_NOWY = "11323_1"
STAN_UZYWANY = "11323_2"
ISBN = "245669"
EAN = "225693"
KOD_PRODUCENTA = "224017"
MATERIAL = "3770"
MATERIAL_ZLOTO = "3770_1"
MATERIAL_SREBRO = "3770_2"
PROBA_ZLOTA = "3771"
PROBA_SREBRA = "3772"
MARKA_ODZIEZ = "8413"
MODEL_ODZIEZ = "8414"
ROZMIAR = "8415"
MARKA_TELEFONU = "4380"
MODEL_TELEFONU = "4381"


def _base(
    pid: str,
    name: str,
    ptype: str,
    *,
    required: bool = False,
    required_for_product: bool = False,
    describes: bool = False,
    unit: str | None = None,
    custom: bool = False,
    ambiguous: str | None = None,
    depends_on: str | None = None,
    required_if: dict[str, Any] | None = None,
    displayed_if: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "id": pid,
        "name": name,
        "type": ptype,
        "required": required,
        "requiredForProduct": required_for_product,
        "requiredIf": required_if,
        "displayedIf": displayed_if,
        "unit": unit,
        "options": {
            "ambiguousValueId": ambiguous,
            "dependsOnParameterId": depends_on,
            "describesProduct": describes,
            "customValuesEnabled": custom,
        },
    }


def dictionary(
    pid: str,
    name: str,
    values: list[str],
    *,
    multiple: bool = False,
    value_deps: dict[int, list[str]] | None = None,
    ambiguous_index: int | None = None,
    **kw: Any,
) -> dict[str, Any]:
    """A dictionary parameter; value ``n`` (1-based) gets id ``<pid>_<n>``."""
    ambiguous = f"{pid}_{ambiguous_index}" if ambiguous_index else None
    param = _base(pid, name, "dictionary", ambiguous=ambiguous, **kw)
    deps = value_deps or {}
    param["dictionary"] = [
        {"id": f"{pid}_{n}", "value": value, "dependsOnValueIds": deps.get(n, [])}
        for n, value in enumerate(values, start=1)
    ]
    param["restrictions"] = {"multipleChoices": multiple}
    return param


def integer(
    pid: str, name: str, lo: int, hi: int, *, range_: bool = False, **kw: Any
) -> dict[str, Any]:
    param = _base(pid, name, "integer", **kw)
    param["restrictions"] = {"min": lo, "max": hi, "range": range_}
    return param


def floating(
    pid: str,
    name: str,
    lo: float,
    hi: float,
    precision: int,
    *,
    range_: bool = False,
    **kw: Any,
) -> dict[str, Any]:
    param = _base(pid, name, "float", **kw)
    param["restrictions"] = {"min": lo, "max": hi, "range": range_, "precision": precision}
    return param


def string(
    pid: str, name: str, max_length: int, *, min_length: int = 1, values: int = 1, **kw: Any
) -> dict[str, Any]:
    param = _base(pid, name, "string", **kw)
    param["restrictions"] = {
        "minLength": min_length,
        "maxLength": max_length,
        "allowedNumberOfValues": values,
    }
    return param


def with_value(pid: str, *value_ids: str) -> dict[str, Any]:
    return {"id": pid, "oneOfValueIds": list(value_ids)}


def required_if(
    with_values: list[dict[str, Any]], without: list[str] | None = None
) -> dict[str, Any]:
    return {
        "parametersWithValue": with_values,
        "parametersWithoutValue": [{"id": pid} for pid in without or []],
    }


def displayed_if(*with_values: dict[str, Any]) -> dict[str, Any]:
    return {"parametersWithValue": list(with_values)}


P_STAN = dictionary(STAN, "Stan", ["Nowy", "Używany"], required=True)
P_KOD_PRODUCENTA = string(KOD_PRODUCENTA, "Kod producenta", 35, describes=True)
# EAN is required for new items unless the manufacturer code identifies the product. As on
# Allegro, ``required: true`` stands beside ``requiredIf`` and the conditions alone decide
# (allegro/allegro-api #13774); the rule of this product parameter names a value of the offer
# parameter Stan.
P_EAN = string(
    EAN,
    "EAN (GTIN)",
    14,
    min_length=8,
    describes=True,
    required=True,
    required_if=required_if([with_value(STAN, STAN_NOWY)], without=[KOD_PRODUCENTA]),
)
P_MARKA = string("223331", "Marka", 50, describes=True, required_for_product=True)
P_WAGA = floating("17448", "Waga produktu z opakowaniem jednostkowym", 0.001, 1000, 3, unit="kg")

BOOKS = [
    P_STAN,
    string(
        ISBN,
        "ISBN",
        17,
        min_length=10,
        describes=True,
        required=True,
        required_if=required_if([with_value(STAN, STAN_NOWY)]),
    ),
    string("7773", "Tytuł", 200, describes=True, required_for_product=True),
    string("223489", "Autor", 100, values=3, describes=True, required_for_product=True),
    string("223541", "Wydawnictwo", 100, describes=True),
    integer("74", "Rok wydania", 1500, 2030, describes=True),
    integer("223545", "Liczba stron", 1, 10000, describes=True),
    dictionary("245226", "Okładka", ["twarda", "miękka", "zintegrowana", "inna"], describes=True),
    dictionary(
        "16",
        "Język publikacji",
        ["polski", "angielski", "niemiecki", "inny"],
        multiple=True,
        describes=True,
    ),
    dictionary(
        "245227",
        "Stan książki",
        ["bardzo dobry", "dobry", "dostateczny"],
        required_if=required_if([with_value(STAN, STAN_UZYWANY)]),
        displayed_if=displayed_if(with_value(STAN, STAN_UZYWANY)),
    ),
]

JEWELLERY = [
    P_STAN,
    dictionary(
        MATERIAL,
        "Materiał",
        ["Złoto", "Srebro", "Stal chirurgiczna", "Pozłacane", "Inny"],
        required=True,
        describes=True,
    ),
    dictionary(
        PROBA_ZLOTA,
        "Próba złota",
        ["333", "375", "585", "750", "999"],
        describes=True,
        required_if=required_if([with_value(MATERIAL, MATERIAL_ZLOTO)]),
        displayed_if=displayed_if(with_value(MATERIAL, MATERIAL_ZLOTO)),
    ),
    dictionary(
        PROBA_SREBRA,
        "Próba srebra",
        ["800", "925", "999"],
        describes=True,
        required_if=required_if([with_value(MATERIAL, MATERIAL_SREBRO)]),
        displayed_if=displayed_if(with_value(MATERIAL, MATERIAL_SREBRO)),
    ),
    dictionary(
        "3773",
        "Kamień",
        ["brak", "cyrkonia", "diament", "szafir", "rubin", "perła", "inny"],
        multiple=True,
        custom=True,
        ambiguous_index=7,
        describes=True,
    ),
    floating("3775", "Waga", 0.01, 1000, 2, unit="g", describes=True),
    integer("3774", "Rozmiar pierścionka", 5, 30),
    P_MARKA,
    P_EAN,
    P_KOD_PRODUCENTA,
]

_BRANDS = ["Nike", "Adidas", "Reserved", "4F", "Puma", "inna"]
CLOTHING = [
    P_STAN,
    dictionary(
        MARKA_ODZIEZ,
        "Marka",
        _BRANDS,
        required=True,
        describes=True,
        ambiguous_index=6,
        custom=True,
    ),
    dictionary(
        MODEL_ODZIEZ,
        "Model",
        ["Air Max", "Tech Fleece", "Essentials", "Adicolor", "Basic", "Outhorn", "Classics"],
        describes=True,
        depends_on=MARKA_ODZIEZ,
        value_deps={
            1: [f"{MARKA_ODZIEZ}_1"],
            2: [f"{MARKA_ODZIEZ}_1"],
            3: [f"{MARKA_ODZIEZ}_2"],
            4: [f"{MARKA_ODZIEZ}_2"],
            5: [f"{MARKA_ODZIEZ}_3"],
            6: [f"{MARKA_ODZIEZ}_4"],
            7: [f"{MARKA_ODZIEZ}_5"],
        },
    ),
    dictionary(
        ROZMIAR, "Rozmiar", ["XS", "S", "M", "L", "XL", "XXL"], multiple=True, required=True
    ),
    dictionary(
        "8416",
        "Kolor",
        ["czarny", "biały", "szary", "czerwony", "niebieski", "zielony", "wielokolorowy"],
        multiple=True,
        describes=True,
    ),
    dictionary("8417", "Materiał dominujący", ["bawełna", "poliester", "wełna", "len", "wiskoza"]),
    string("8418", "Skład", 200),
    P_EAN,
    P_KOD_PRODUCENTA,
]

_PHONE_BRANDS = ["Apple", "Samsung", "Xiaomi", "Motorola"]
PHONES = [
    P_STAN,
    dictionary(MARKA_TELEFONU, "Marka telefonu", _PHONE_BRANDS, required=True, describes=True),
    dictionary(
        MODEL_TELEFONU,
        "Model telefonu",
        ["iPhone 15", "iPhone 16", "Galaxy S24", "Galaxy A55", "Redmi Note 13", "moto g84"],
        required=True,
        describes=True,
        depends_on=MARKA_TELEFONU,
        value_deps={
            1: [f"{MARKA_TELEFONU}_1"],
            2: [f"{MARKA_TELEFONU}_1"],
            3: [f"{MARKA_TELEFONU}_2"],
            4: [f"{MARKA_TELEFONU}_2"],
            5: [f"{MARKA_TELEFONU}_3"],
            6: [f"{MARKA_TELEFONU}_4"],
        },
    ),
    dictionary("4388", "Pamięć RAM", ["4 GB", "6 GB", "8 GB", "12 GB", "16 GB"], describes=True),
    dictionary("4389", "Wbudowana pamięć", ["64 GB", "128 GB", "256 GB", "512 GB"], describes=True),
    integer("4390", "Pojemność baterii", 100, 30000, unit="mAh", describes=True),
    floating("4391", "Przekątna ekranu", 1, 20, 2, unit="cal", describes=True),
    dictionary(
        "4392", "Kolor", ["czarny", "biały", "niebieski", "zielony", "tytanowy"], describes=True
    ),
    P_EAN,
    P_KOD_PRODUCENTA,
]

HEADPHONES = [
    P_STAN,
    P_MARKA,
    dictionary(
        "5001",
        "Typ słuchawek",
        ["dokanałowe", "nauszne", "wokółuszne"],
        describes=True,
        required=True,
    ),
    dictionary(
        "5002", "Łączność", ["Bluetooth", "przewodowa", "radiowa"], multiple=True, describes=True
    ),
    integer("5003", "Czas pracy na baterii", 1, 200, unit="h", range_=True),
    floating("5004", "Pasmo przenoszenia", 1, 100000, 1, unit="Hz", range_=True, describes=True),
    P_EAN,
    P_KOD_PRODUCENTA,
]

CHARGERS = [
    P_STAN,
    P_MARKA,
    floating("5101", "Moc ładowania", 1, 300, 1, unit="W", describes=True, required=True),
    dictionary(
        "5102",
        "Złącza",
        ["USB-C", "USB-A", "Lightning", "micro USB"],
        multiple=True,
        describes=True,
    ),
    P_EAN,
    P_KOD_PRODUCENTA,
]

COMPUTERS = [
    P_STAN,
    P_MARKA,
    string("5201", "Model procesora", 60, describes=True),
    integer("5202", "Pamięć RAM", 1, 256, unit="GB", describes=True),
    floating("4391", "Przekątna ekranu", 1, 40, 1, unit="cal", describes=True),
    P_EAN,
    P_KOD_PRODUCENTA,
]

TOYS = [
    P_STAN,
    P_MARKA,
    dictionary(
        "5301", "Wiek dziecka", ["0+", "3+", "6+", "9+", "12+"], required=True, describes=True
    ),
    integer("5302", "Liczba elementów", 1, 20000, describes=True),
    P_EAN,
    P_KOD_PRODUCENTA,
]

RODZAJ_NACZYNIA = "6201"
MATERIAL_NACZYNIA = "6202"
HOUSEHOLD = [
    P_STAN,
    P_MARKA,
    dictionary(
        RODZAJ_NACZYNIA,
        "Rodzaj",
        ["garnek", "patelnia", "zestaw garnków"],
        required=True,
        describes=True,
    ),
    dictionary(
        MATERIAL_NACZYNIA,
        "Materiał wykonania",
        ["stal nierdzewna", "żeliwo", "aluminium", "ceramika"],
        required=True,
        describes=True,
    ),
    dictionary(
        "6203",
        "Powłoka",
        ["teflonowa", "ceramiczna", "granitowa", "brak"],
        describes=True,
        required=True,
        required_if=required_if([with_value(MATERIAL_NACZYNIA, f"{MATERIAL_NACZYNIA}_3")]),
        displayed_if=displayed_if(
            with_value(MATERIAL_NACZYNIA, f"{MATERIAL_NACZYNIA}_3", f"{MATERIAL_NACZYNIA}_4")
        ),
    ),
    floating(
        "6204",
        "Pojemność",
        0.1,
        50,
        1,
        unit="l",
        describes=True,
        required=True,
        required_if=required_if(
            [with_value(RODZAJ_NACZYNIA, f"{RODZAJ_NACZYNIA}_1", f"{RODZAJ_NACZYNIA}_3")]
        ),
    ),
    integer(
        "6205",
        "Średnica",
        8,
        60,
        unit="cm",
        describes=True,
        required=True,
        required_if=required_if([with_value(RODZAJ_NACZYNIA, f"{RODZAJ_NACZYNIA}_2")]),
    ),
    # An offer parameter whose rules name values of product parameters (Rodzaj) and of the
    # offer parameter Stan.
    dictionary(
        "6206",
        "Stan opakowania",
        ["oryginalne", "zastępcze", "brak"],
        required=True,
        required_if=required_if(
            [
                with_value(STAN, STAN_NOWY),
                with_value(RODZAJ_NACZYNIA, f"{RODZAJ_NACZYNIA}_3"),
            ]
        ),
        displayed_if=displayed_if(with_value(STAN, STAN_NOWY)),
    ),
    P_EAN,
    P_KOD_PRODUCENTA,
]

# No Stan here: the EAN rule names a parameter the category does not list, so it reads Stan's
# values like any other's (a catalog product may carry them); without one EAN is optional.
COSMETICS = [
    P_MARKA,
    floating("6301", "Pojemność", 1, 5000, 0, unit="ml", describes=True, required=True),
    dictionary("6302", "Rodzaj skóry", ["sucha", "tłusta", "mieszana", "wrażliwa"], multiple=True),
    P_EAN,
    P_KOD_PRODUCENTA,
]

GENERAL = [P_STAN, P_MARKA, P_WAGA, P_EAN, P_KOD_PRODUCENTA]

GROUPS: dict[str, list[dict[str, Any]]] = {
    "books": BOOKS,
    "jewellery": JEWELLERY,
    "clothing": CLOTHING,
    "phones": PHONES,
    "headphones": HEADPHONES,
    "chargers": CHARGERS,
    "computers": COMPUTERS,
    "toys": TOYS,
    "household": HOUSEHOLD,
    "cosmetics": COSMETICS,
    "general": GENERAL,
}
