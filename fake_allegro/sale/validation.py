"""How an offer is checked, as Allegro does it for ``/sale/product-offers``.

Two kinds of problems:

* *hard* errors make the request fail with 422 whatever the requested status (unknown category,
  parameter or dictionary value, a product parameter in the offer section, too many images,
  unknown shipping rates or after-sales conditions, an ambiguous GTIN ...);
* *publication* errors only stop the offer from being published: a draft keeps them in
  ``validation.errors``; asking for ``publication.status = ACTIVE`` with any of them is a 422.

Parameter dependencies follow the spec: ``requiredIf`` (when present it alone decides: every
``parametersWithValue`` condition holds and every ``parametersWithoutValue`` parameter is empty),
``displayedIf`` (a hidden parameter is never required) and ``options.dependsOnParameterId`` +
``dictionary[].dependsOnValueIds``. :func:`parameter_rules` gives all three for a set of values;
the shop's ``evaluate_parameters`` (``shop/allegro/offers/parameters.py``) must agree with it
(a property test drives both).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from fake_allegro.errors import ErrorItem

if TYPE_CHECKING:
    from fake_allegro.sale.state import Offer, SaleState

GALLERY_LIMIT = 16
NAME_MIN, NAME_MAX = 12, 75


def error(
    code: str, message: str, user_message: str, path: str | None = None, **metadata: str
) -> ErrorItem:
    return ErrorItem(code, message, user_message, path, None, dict(metadata))


# --- parameter values ----------------------------------------------------------------------------


def values_of(entry: dict[str, Any]) -> list[str]:
    """What a parameter entry holds, for condition checks: value ids or literal values."""
    if entry.get("valuesIds"):
        return [str(v) for v in entry["valuesIds"]]
    if entry.get("rangeValue"):
        return [f"{entry['rangeValue'].get('from')}-{entry['rangeValue'].get('to')}"]
    return [str(v) for v in entry.get("values") or [] if str(v).strip()]


def condition_holds(conditions: dict[str, Any] | None, values: dict[str, list[str]]) -> bool:
    """All conditions hold: each ``parametersWithValue`` parameter has one of the value ids and
    each ``parametersWithoutValue`` parameter is empty. A parameter the category does not list is
    read like any other (a catalog product may carry it; without a value it is empty)."""
    if conditions is None:
        return True
    for cond in conditions.get("parametersWithValue") or []:
        if not set(cond.get("oneOfValueIds") or []) & set(values.get(str(cond["id"]), [])):
            return False
    return all(
        not values.get(str(cond["id"])) for cond in conditions.get("parametersWithoutValue") or []
    )


def is_displayed(definition: dict[str, Any], values: dict[str, list[str]]) -> bool:
    """``displayedIf``: ``null`` shows the parameter; else every ``parametersWithValue`` holds."""
    block = definition.get("displayedIf")
    if block is None:
        return True
    return condition_holds({"parametersWithValue": block.get("parametersWithValue")}, values)


def is_required(definition: dict[str, Any], values: dict[str, list[str]]) -> bool:
    """A hidden parameter is never required; a present ``requiredIf`` alone decides (its
    conditions, not a ``required: true`` beside it: EAN/ISBN, allegro/allegro-api #13774);
    without it the ``required`` flag does."""
    if not is_displayed(definition, values):
        return False
    required_if = definition.get("requiredIf")
    if required_if is None:
        return bool(definition.get("required"))
    return condition_holds(required_if, values)


def allowed_value_ids(
    definition: dict[str, Any], values: dict[str, list[str]]
) -> frozenset[str] | None:
    """Dictionary values usable now (``dependsOnValueIds`` against the parent's values)."""
    if definition.get("type") != "dictionary":
        return None
    parent = (definition.get("options") or {}).get("dependsOnParameterId")
    chosen = set(values.get(str(parent), [])) if parent else set()
    return frozenset(
        entry["id"]
        for entry in definition.get("dictionary") or []
        if not parent
        or not entry.get("dependsOnValueIds")
        or chosen & set(entry["dependsOnValueIds"])
    )


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def check_parameter(
    definition: dict[str, Any], entry: dict[str, Any], path: str
) -> tuple[dict[str, Any], list[ErrorItem]]:
    """Check one parameter entry against its definition; return it normalised (ids resolved)."""
    pid, name = definition["id"], definition["name"]
    out: dict[str, Any] = {"id": pid}
    errors: list[ErrorItem] = []
    kind = definition["type"]
    restrictions = definition.get("restrictions") or {}
    if kind == "dictionary":
        ids = [str(v) for v in entry.get("valuesIds") or []]
        labels = {d["value"].lower(): d["id"] for d in definition["dictionary"]}
        known = {d["id"] for d in definition["dictionary"]}
        custom: list[str] = []
        for text in entry.get("values") or []:
            value_id = labels.get(str(text).lower())
            if value_id is not None:
                ids.append(value_id)
            elif definition["options"].get("customValuesEnabled"):
                custom.append(str(text))
            else:
                errors.append(
                    error(
                        "DictionaryParameterValueNotFound",
                        f"Value '{text}' not found in dictionary of parameter {pid}",
                        f"Wartość „{text}” nie występuje w słowniku parametru „{name}”.",
                        path,
                        parameterName=name,
                        requestedDictionaryValue=str(text),
                    )
                )
        for value_id in ids:
            if value_id not in known:
                errors.append(
                    error(
                        "InvalidDictionaryParameter",
                        f"Invalid dictionary value {value_id} for parameter {pid}",
                        f"Niepoprawna wartość „{value_id}” parametru „{name}”.",
                        path,
                        parameterId=pid,
                        dictionaryValue=value_id,
                    )
                )
        if len(set(ids)) != len(ids):
            errors.append(
                error(
                    "DictionaryParameterValueNotUnique",
                    f"Repeated value of parameter {pid}",
                    f"Wartości parametru „{name}” powtarzają się.",
                    path,
                    parameterName=name,
                    requestedDictionaryValue=",".join(ids),
                )
            )
        if len(ids) + len(custom) > 1 and not restrictions.get("multipleChoices"):
            errors.append(
                error(
                    "ConstraintViolationException",
                    f"Parameter {pid} accepts a single value",
                    f"Parametr „{name}” przyjmuje tylko jedną wartość.",
                    path,
                )
            )
        if custom:
            ambiguous = definition["options"].get("ambiguousValueId")
            if ambiguous and ambiguous not in ids:
                ids.append(ambiguous)
            out["values"] = custom
        out["valuesIds"] = ids
        return out, errors

    if kind in ("integer", "float"):
        texts: list[str] = []
        if entry.get("rangeValue"):
            if not restrictions.get("range"):
                errors.append(
                    error(
                        "ConstraintViolationException",
                        f"Parameter {pid} does not accept a range",
                        f"Parametr „{name}” nie przyjmuje zakresu wartości.",
                        path,
                    )
                )
            texts = [str(entry["rangeValue"]["from"]), str(entry["rangeValue"]["to"])]
            out["rangeValue"] = {"from": texts[0], "to": texts[1]}
        else:
            texts = [str(v) for v in entry.get("values") or []]
            if restrictions.get("range") and texts:
                errors.append(
                    error(
                        "ConstraintViolationException",
                        f"Parameter {pid} expects rangeValue",
                        f"Parametr „{name}” wymaga zakresu wartości (od-do).",
                        path,
                    )
                )
            if len(texts) > 1:
                errors.append(
                    error(
                        "ConstraintViolationException",
                        f"Parameter {pid} accepts a single value",
                        f"Parametr „{name}” przyjmuje tylko jedną wartość.",
                        path,
                    )
                )
            out["values"] = texts
        numbers = [_number(t) for t in texts]
        lo, hi = restrictions.get("min"), restrictions.get("max")
        precision = restrictions.get("precision", 0) if kind == "float" else 0
        for text, number in zip(texts, numbers, strict=True):
            if number is None or (kind == "integer" and number != number.to_integral_value()):
                errors.append(
                    error(
                        "ConstraintViolationException",
                        f"'{text}' is not a valid {kind} value of parameter {pid}",
                        f"Wartość „{text}” parametru „{name}” nie jest liczbą"
                        + (" całkowitą." if kind == "integer" else "."),
                        path,
                    )
                )
                continue
            exponent = number.as_tuple().exponent
            if isinstance(exponent, int) and -exponent > precision:
                errors.append(
                    error(
                        "ConstraintViolationException",
                        f"Value of parameter {pid} has more than {precision} decimal places",
                        f"Wartość parametru „{name}” może mieć najwyżej {precision} miejsc"
                        " po przecinku.",
                        path,
                    )
                )
            if (lo is not None and number < Decimal(str(lo))) or (
                hi is not None and number > Decimal(str(hi))
            ):
                errors.append(
                    error(
                        "ConstraintViolationException",
                        f"Value {text} of parameter {pid} is outside [{lo}, {hi}]",
                        f"Wartość parametru „{name}” musi mieścić się w zakresie {lo}–{hi}.",
                        path,
                    )
                )
        if (
            len(numbers) == 2
            and "rangeValue" in out
            and None not in numbers
            and numbers[0] > numbers[1]  # type: ignore[operator]
        ):
            errors.append(
                error(
                    "ConstraintViolationException",
                    f"Range of parameter {pid} starts after it ends",
                    f"Zakres parametru „{name}”: wartość „od” jest większa niż „do”.",
                    path,
                )
            )
        return out, errors

    texts = [str(v) for v in entry.get("values") or []]
    allowed = restrictions.get("allowedNumberOfValues") or 1
    if len(texts) > allowed:
        errors.append(
            error(
                "ConstraintViolationException",
                f"Parameter {pid} accepts at most {allowed} values",
                f"Parametr „{name}” przyjmuje najwyżej {allowed} wartości.",
                path,
            )
        )
    for text in texts:
        if not restrictions.get("minLength", 0) <= len(text) <= restrictions.get("maxLength", 1000):
            errors.append(
                error(
                    "ConstraintViolationException",
                    f"Value of parameter {pid} must have {restrictions.get('minLength')}"
                    f"-{restrictions.get('maxLength')} characters",
                    f"Wartość parametru „{name}” musi mieć od {restrictions.get('minLength')} do"
                    f" {restrictions.get('maxLength')} znaków.",
                    path,
                )
            )
    out["values"] = texts
    return out, errors


def check_parameters(
    state: SaleState,
    category_id: str,
    entries: list[dict[str, Any]],
    section: str,
    path: str,
) -> tuple[list[dict[str, Any]], list[ErrorItem]]:
    """Check the parameters of one section (``offer`` or ``product``) of an offer."""
    definitions = state.category_parameters(category_id)
    by_id = {d["id"]: d for d in definitions}
    by_name = {d["name"].lower(): d for d in definitions}
    normalised: list[dict[str, Any]] = []
    errors: list[ErrorItem] = []
    for n, entry in enumerate(entries):
        where = f"{path}[{n}]"
        definition = None
        if entry.get("id") is not None:
            definition = by_id.get(str(entry["id"]))
            if definition is None:
                errors.append(
                    error(
                        "ParameterIdNotFoundException",
                        f"Parameter {entry['id']} does not exist in category {category_id}",
                        f"Parametr o identyfikatorze {entry['id']} nie istnieje w tej kategorii.",
                        where,
                        categoryId=category_id,
                        parameterId=str(entry["id"]),
                    )
                )
                continue
        else:
            definition = by_name.get(str(entry.get("name", "")).lower())
            if definition is None:
                errors.append(
                    error(
                        "ParameterNameNotFoundException",
                        f"Parameter '{entry.get('name')}' not found in category {category_id}",
                        f"Parametr „{entry.get('name')}” nie istnieje w tej kategorii.",
                        where,
                        categoryId=category_id,
                        parameterName=str(entry.get("name")),
                    )
                )
                continue
        describes = bool(definition["options"].get("describesProduct"))
        if describes != (section == "product"):
            errors.append(
                error(
                    "ParameterCategoryException",
                    f"Parameter {definition['id']} should not be given in section {section}",
                    f"Parametr `{definition['name']}` nie powinien być wskazany w sekcji"
                    f" `{section}`.",
                    where,
                    parameterId=definition["id"],
                    parameterName=definition["name"],
                    requestedParameterType=section,
                )
            )
            continue
        out, problems = check_parameter(definition, entry, where)
        errors.extend(problems)
        normalised.append(out)
    return normalised, errors


def check_value_dependencies(
    state: SaleState, category_id: str, values: dict[str, list[str]]
) -> list[ErrorItem]:
    errors: list[ErrorItem] = []
    definitions = state.category_parameters(category_id)
    names = {d["id"]: d["name"] for d in definitions}
    for definition in definitions:
        parent = definition["options"].get("dependsOnParameterId")
        allowed = allowed_value_ids(definition, values)
        if not parent or allowed is None:
            continue
        for entry in definition["dictionary"]:
            if entry["id"] in values.get(definition["id"], []) and entry["id"] not in allowed:
                errors.append(
                    error(
                        "InvalidDictionaryParameter",
                        f"Value {entry['id']} of parameter {definition['id']} requires parameter"
                        f" {parent} to be one of {entry['dependsOnValueIds']}",
                        f"Wartość „{entry['value']}” parametru „{definition['name']}” nie pasuje"
                        f" do wybranej wartości parametru „{names.get(parent, parent)}”.",
                        "parameters",
                        parameterId=definition["id"],
                        dictionaryValue=entry["id"],
                    )
                )
    return errors


def parameter_rules(
    definitions: list[dict[str, Any]], values: dict[str, list[str]]
) -> dict[str, tuple[bool, bool, frozenset[str] | None]]:
    """Per parameter id: (displayed, required, allowed dictionary value ids or None)."""
    return {
        d["id"]: (is_displayed(d, values), is_required(d, values), allowed_value_ids(d, values))
        for d in definitions
    }


# --- whole offers --------------------------------------------------------------------------------


def all_values(state: SaleState, data: dict[str, Any]) -> dict[str, list[str]]:
    """Every parameter value an offer carries: catalog product, product section, offer section."""
    values: dict[str, list[str]] = {}
    for item in data.get("productSet") or []:
        product = item.get("product") or {}
        catalog = state.products.get(str(product.get("id")))
        if catalog is not None:
            for param in catalog.parameters:
                values[param["id"]] = values_of(param)
        for entry in product.get("parameters") or []:
            if entry.get("id"):
                values[str(entry["id"])] = values_of(entry)
    for entry in data.get("parameters") or []:
        if entry.get("id"):
            values[str(entry["id"])] = values_of(entry)
    return values


def check_offer(
    state: SaleState, seller_id: str, data: dict[str, Any]
) -> tuple[list[ErrorItem], list[ErrorItem]]:
    """Return (hard errors, publication errors) of an offer in its stored shape.

    Normalises ``data["parameters"]`` and product-section parameters in place.
    """
    hard: list[ErrorItem] = []
    publication: list[ErrorItem] = []
    name = data.get("name")
    if name is not None and not NAME_MIN <= len(str(name)) <= NAME_MAX:
        hard.append(
            error(
                "ConstraintViolationException.OfferNameLength",
                f"Offer title must have between {NAME_MIN} and {NAME_MAX} characters",
                f"Tytuł oferty musi mieć od {NAME_MIN} do {NAME_MAX} znaków.",
                "name",
            )
        )
    elif name is None:
        publication.append(
            error(
                "ConstraintViolationException",
                "Offer title is required",
                "Podaj tytuł oferty.",
                "name",
            )
        )
    category_id = (data.get("category") or {}).get("id")
    category = state.categories.get(str(category_id)) if category_id else None
    if category_id and category is None:
        hard.append(
            error(
                "CATEGORY_NOT_EXISTS",
                f"Category {category_id} does not exist",
                f"Kategoria {category_id} nie istnieje.",
                "category.id",
                categoryId=str(category_id),
            )
        )
    elif category is not None and not category.leaf:
        hard.append(
            error(
                "INVALID_CATEGORY_ID",
                f"Category {category_id} is not a leaf category",
                f"Kategoria „{category.name}” ma podkategorie: wybierz kategorię najniższego"
                " poziomu.",
                "category.id",
                categoryId=str(category_id),
            )
        )
    elif category is None:
        publication.append(
            error(
                "ConstraintViolationException",
                "Category is required",
                "Wybierz kategorię oferty.",
                "category.id",
            )
        )

    images = [str(url) for url in data.get("images") or []]
    if len(images) > GALLERY_LIMIT:
        hard.append(
            error(
                "GallerySizeException",
                f"Gallery may contain at most {GALLERY_LIMIT} images",
                f"Galeria może zawierać najwyżej {GALLERY_LIMIT} zdjęć.",
                "images",
                gallerySizeLimit=str(GALLERY_LIMIT),
            )
        )
    for n, url in enumerate(images):
        upload = state.images.get(url.rsplit("/", 1)[-1])
        if upload is not None and not upload.used and upload.expires_at < state.now():
            hard.append(
                error(
                    "ImageNotFoundException",
                    f"Uploaded image {url} has expired",
                    "Przesłane zdjęcie wygasło: prześlij je ponownie.",
                    f"images[{n}]",
                )
            )
        own = url.startswith(state.image_base + "/")  # a seeded image the emulator serves
        if not own and not re.match(r"^https?://[^/\s]+\.[a-z]{2,}(/|$)", url):
            hard.append(
                error(
                    "IllegalImageUrlException",
                    f"Image URL '{url}' is not valid",
                    "Adres zdjęcia jest niepoprawny.",
                    f"images[{n}]",
                )
            )

    selling = data.get("sellingMode") or {}
    selling_format = selling.get("format") or "BUY_NOW"
    price = selling.get("price") or selling.get("startingPrice")
    if price:
        amount = _number(str(price.get("amount", "")))
        if amount is None or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            hard.append(
                error(
                    "ConstraintViolationException",
                    "Price must be a positive amount with at most 2 decimal places",
                    "Cena musi być dodatnią kwotą z najwyżej dwoma miejscami po przecinku.",
                    "sellingMode.price.amount",
                )
            )
        if price.get("currency") != "PLN":
            hard.append(
                error(
                    "ConstraintViolationException",
                    "The base marketplace allegro-pl accepts PLN only",
                    "Cena oferty na Allegro.pl musi być w złotych (PLN).",
                    "sellingMode.price.currency",
                )
            )
    elif selling_format != "ADVERTISEMENT":
        publication.append(
            error(
                "ConstraintViolationException",
                "Price is required",
                "Podaj cenę oferty.",
                "sellingMode.price",
            )
        )
    stock = data.get("stock") or {}
    if not stock.get("available"):
        publication.append(
            error(
                "ConstraintViolationException",
                "An offer with no items available cannot be published",
                "Liczba sztuk w ofercie musi być większa od zera.",
                "stock.available",
            )
        )

    if category is not None and category.leaf:
        product_images = False
        for n, item in enumerate(data.get("productSet") or []):
            product = item.get("product") or {}
            catalog = state.products.get(str(product.get("id")))
            product_images = product_images or bool(catalog and catalog.images)
            product_images = product_images or bool(product.get("images"))
            if product.get("parameters"):
                normalised, problems = check_parameters(
                    state,
                    category.id,
                    product["parameters"],
                    "product",
                    f"productSet[{n}].product.parameters",
                )
                product["parameters"] = normalised
                hard.extend(problems)
        normalised, problems = check_parameters(
            state, category.id, data.get("parameters") or [], "offer", "parameters"
        )
        data["parameters"] = normalised
        hard.extend(problems)
        values = all_values(state, data)
        hard.extend(check_value_dependencies(state, category.id, values))
        missing = [
            d
            for d in state.category_parameters(category.id)
            if is_required(d, values) and not values.get(d["id"])
        ]
        if missing:
            publication.append(
                error(
                    "ConstraintViolationException.MissingRequiredParameters",
                    "Missing required parameters: " + ", ".join(d["id"] for d in missing),
                    "Uzupełnij wymagane parametry: " + ", ".join(d["name"] for d in missing) + ".",
                    "parameters",
                    missingParameterIds=",".join(d["id"] for d in missing),
                    missingParameterNames=",".join(d["name"] for d in missing),
                )
            )
        if not images and not product_images:
            publication.append(
                error(
                    "ConstraintViolationException",
                    "At least one image is required",
                    "Dodaj przynajmniej jedno zdjęcie.",
                    "images",
                )
            )

    if selling_format != "ADVERTISEMENT":
        delivery = data.get("delivery") or {}
        if not (delivery.get("shippingRates") or {}).get("id"):
            publication.append(
                error(
                    "ConstraintViolationException",
                    "Shipping rates are required",
                    "Wybierz cennik dostawy.",
                    "delivery.shippingRates",
                )
            )
        after_sales = data.get("afterSalesServices") or {}
        for key, label in (
            ("returnPolicy", "warunki zwrotów"),
            ("impliedWarranty", "warunki reklamacji"),
        ):
            if not (after_sales.get(key) or {}).get("id"):
                publication.append(
                    error(
                        "ConstraintViolationException",
                        f"{key} is required",
                        f"Wybierz {label}.",
                        f"afterSalesServices.{key}",
                    )
                )
    return hard, publication


def revalidate(state: SaleState, offer: Offer) -> None:
    """Recompute ``validation.errors`` of a stored offer."""
    from fake_allegro.sale.offers import offer_view

    view = offer_view(offer)
    _hard, publication = check_offer(state, offer.seller_id, view)
    offer.validation_errors = [e.as_json() for e in publication]
    offer.validated_at = state.now()
