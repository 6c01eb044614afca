from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.core.models import TimeStampedModel
from shop.core.validators import validate_nip


class Channel(models.TextChoices):
    SHOP = "shop", _("sklep")
    ALLEGRO = "allegro", _("Allegro")


class OrderStatus(models.TextChoices):
    NEW = "new", _("nowe")
    PROCESSING = "processing", _("w realizacji")
    READY_FOR_SHIPMENT = "ready_for_shipment", _("gotowe do wysyłki")
    SENT = "sent", _("wysłane")
    DELIVERED = "delivered", _("dostarczone")
    CANCELLED = "cancelled", _("anulowane")
    RETURNED = "returned", _("zwrócone")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("oczekuje")
    PARTIALLY_PAID = "partial", _("opłacone częściowo")
    PAID = "paid", _("opłacone")
    CASH_ON_DELIVERY = "cod", _("za pobraniem")
    # Paid, and the order was cancelled: the money is owed back until a refund exists.
    TO_REFUND = "to_refund", _("opłacone — do zwrotu")
    PARTIALLY_REFUNDED = "partially_refunded", _("zwrócone częściowo")
    REFUNDED = "refunded", _("zwrócone")
    CANCELLED = "cancelled", _("anulowane")


class ChargeKind(models.TextChoices):
    SERVICE = "service", _("Usługa dodatkowa")
    SURCHARGE = "surcharge", _("Dopłata")
    DISCOUNT = "discount", _("Rabat")


class FundedBy(models.TextChoices):
    SELLER = "seller", _("sprzedawca")
    MARKETPLACE = "marketplace", _("serwis sprzedaży")


class Address(models.Model):
    first_name = models.CharField(_("imię"), max_length=100, blank=True)
    last_name = models.CharField(_("nazwisko"), max_length=100, blank=True)
    company_name = models.CharField(_("firma"), max_length=200, blank=True)
    street = models.CharField(_("ulica i numer"), max_length=200, blank=True)
    postal_code = models.CharField(_("kod pocztowy"), max_length=16, blank=True)
    city = models.CharField(_("miasto"), max_length=100, blank=True)
    country_code = models.CharField(_("kraj"), max_length=2, default="PL")
    phone = models.CharField(_("telefon"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("adres")
        verbose_name_plural = _("adresy")

    def __str__(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p) or self.company_name
        return f"{name}, {self.street}, {self.postal_code} {self.city}".strip(", ")

    @property
    def lines(self) -> list[str]:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return [
            line
            for line in (
                self.company_name,
                name,
                self.street,
                f"{self.postal_code} {self.city}".strip(),
                self.country_code if self.country_code != "PL" else "",
                self.phone,
            )
            if line
        ]


class Order(TimeStampedModel):
    # Allowed status transitions (django-oscar's pipeline): anything else raises.
    PIPELINE: dict[str, tuple[str, ...]] = {
        OrderStatus.NEW: (OrderStatus.PROCESSING, OrderStatus.CANCELLED),
        OrderStatus.PROCESSING: (
            OrderStatus.READY_FOR_SHIPMENT,
            OrderStatus.SENT,
            OrderStatus.CANCELLED,
        ),
        OrderStatus.READY_FOR_SHIPMENT: (
            OrderStatus.PROCESSING,
            OrderStatus.SENT,
            OrderStatus.CANCELLED,
        ),
        OrderStatus.SENT: (OrderStatus.DELIVERED, OrderStatus.RETURNED),
        OrderStatus.DELIVERED: (OrderStatus.RETURNED,),
        OrderStatus.CANCELLED: (),
        OrderStatus.RETURNED: (),
    }

    number = models.CharField(_("numer"), max_length=32, unique=True)
    channel = models.CharField(
        _("kanał"), max_length=16, choices=Channel.choices, default=Channel.SHOP, db_index=True
    )
    external_id = models.CharField(
        _("identyfikator zewnętrzny"), max_length=64, blank=True, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=32, choices=OrderStatus.choices, default=OrderStatus.NEW
    )
    placed_at = models.DateTimeField(_("data złożenia"), db_index=True)

    customer_email = models.EmailField(_("e-mail klienta"), blank=True)
    customer_name = models.CharField(_("klient"), max_length=200, blank=True)
    customer_company = models.CharField(_("firma klienta"), max_length=200, blank=True)
    customer_login = models.CharField(_("login klienta"), max_length=100, blank=True)
    customer_phone = models.CharField(_("telefon klienta"), max_length=32, blank=True)
    billing_address = models.OneToOneField(
        Address,
        verbose_name=_("adres rozliczeniowy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    shipping_address = models.OneToOneField(
        Address,
        verbose_name=_("adres dostawy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pickup_point_id = models.CharField(_("punkt odbioru"), max_length=64, blank=True)
    pickup_point_name = models.CharField(_("nazwa punktu odbioru"), max_length=200, blank=True)
    pickup_point_address = models.CharField(_("adres punktu odbioru"), max_length=255, blank=True)

    invoice_required = models.BooleanField(_("faktura"), default=False)
    invoice_company_name = models.CharField(_("firma na fakturze"), max_length=200, blank=True)
    invoice_nip = models.CharField(_("NIP"), max_length=20, blank=True, validators=[validate_nip])
    invoice_due_date = models.DateField(_("termin płatności na fakturze"), null=True, blank=True)
    # The channel's invoice flags, e.g. VAT_EU_VERIFIED.
    invoice_flags = models.JSONField(_("cechy faktury"), default=list, blank=True)

    delivery_method = models.CharField(_("sposób dostawy"), max_length=200, blank=True)
    delivery_cost = models.DecimalField(
        _("koszt dostawy"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    # The buyer's programme (Allegro Smart!) made the delivery free for them.
    delivery_free_by_programme = models.BooleanField(_("darmowa dostawa (Smart!)"), default=False)
    payment_method = models.CharField(_("sposób płatności"), max_length=64, blank=True)
    payment_status = models.CharField(
        _("płatność"),
        max_length=24,
        choices=PaymentStatus.choices,
        default=PaymentStatus.PENDING,
        db_index=True,
    )
    paid_amount = models.DecimalField(
        _("zapłacono"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    items_total = models.DecimalField(
        _("wartość produktów"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    total = models.DecimalField(
        _("do zapłaty"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    refunded_amount = models.DecimalField(
        _("zwrócono"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    # The channel's own total minus the sum of the order's lines, when they disagree (None:
    # they add up). The total stays the channel's; nothing is silently "corrected".
    total_difference = models.DecimalField(
        _("różnica w sumie"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("waluta"), max_length=3, default="PLN")

    customer_note = models.TextField(_("wiadomość od kupującego"), blank=True)
    # The seller's own note on the sales channel's site, kept in step with it.
    seller_note = models.TextField(_("notatka sprzedawcy w kanale sprzedaży"), blank=True)
    # A few lines for the packer; a page must never carry megabytes of them.
    internal_note = models.TextField(_("notatki wewnętrzne"), blank=True, max_length=5000)
    needs_attention = models.BooleanField(_("wymaga uwagi"), default=False, db_index=True)
    attention_reason = models.CharField(_("powód"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("zamówienie")
        verbose_name_plural = _("zamówienia")
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="order_unique_external_id_per_channel",
            )
        ]
        indexes = [models.Index(fields=["status", "-placed_at"])]

    def __str__(self) -> str:
        return self.number

    def allowed_transitions(self) -> tuple[str, ...]:
        return self.PIPELINE.get(self.status, ())

    @property
    def buyer_display(self) -> str:
        """The buyer as people name them: the person and, when there is one, the company."""
        company = self.customer_company or self.invoice_company_name
        if company and company not in self.customer_name:
            return f"{self.customer_name} ({company})" if self.customer_name else company
        return self.customer_name


class OrderItem(models.Model):
    order = models.ForeignKey(Order, related_name="items", on_delete=models.CASCADE)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("produkt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="order_items",
    )
    external_id = models.CharField(_("identyfikator pozycji"), max_length=64, blank=True)
    name = models.CharField(_("nazwa"), max_length=255)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    ean = models.CharField(_("EAN"), max_length=14, blank=True)
    quantity = models.PositiveIntegerField(_("ilość"))
    unit_price = models.DecimalField(_("cena jednostkowa"), max_digits=12, decimal_places=2)
    # The price before discounts (a coupon, a quantity discount); None: no discount.
    list_unit_price = models.DecimalField(
        _("cena przed rabatem"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # A returnable deposit (kaucja) per unit, paid on top of the price.
    deposit = models.DecimalField(
        _("kaucja za sztukę"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    vat_rate = models.CharField(_("VAT"), max_length=3, blank=True)

    class Meta:
        verbose_name = _("pozycja zamówienia")
        verbose_name_plural = _("pozycje zamówienia")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def deposit_total(self) -> Decimal:
        return self.deposit * self.quantity

    @property
    def discount_total(self) -> Decimal:
        if self.list_unit_price is None or self.list_unit_price <= self.unit_price:
            return Decimal("0.00")
        return (self.list_unit_price - self.unit_price) * self.quantity


class OrderCharge(models.Model):
    """A money line of an order beside its items and delivery: a paid service, a surcharge,
    a discount (with who funds it).

    ``in_total``: whether the amount adds to what the buyer pays. A discount already lowered
    its item's price and a discount the marketplace pays the seller back never did, so both
    are shown but not added.
    """

    order = models.ForeignKey(Order, related_name="charges", on_delete=models.CASCADE)
    item = models.ForeignKey(
        OrderItem,
        verbose_name=_("pozycja"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="charges",
    )
    kind = models.CharField(_("rodzaj"), max_length=16, choices=ChargeKind.choices)
    name = models.CharField(_("nazwa"), max_length=255)
    quantity = models.PositiveIntegerField(_("ilość"), default=1)
    amount = models.DecimalField(_("kwota"), max_digits=12, decimal_places=2)
    in_total = models.BooleanField(_("wliczone do zapłaty"), default=True)
    funded_by = models.CharField(
        _("finansuje"), max_length=16, choices=FundedBy.choices, blank=True
    )
    external_id = models.CharField(_("identyfikator zewnętrzny"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("pozycja rozliczenia")
        verbose_name_plural = _("pozycje rozliczenia")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name} {self.amount}"


class OrderEvent(models.Model):
    """Every status transition, with who and when."""

    order = models.ForeignKey(Order, related_name="events", on_delete=models.CASCADE)
    from_status = models.CharField(_("z"), max_length=32, blank=True)
    to_status = models.CharField(_("na"), max_length=32)
    note = models.CharField(_("uwagi"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("kiedy"), auto_now_add=True)

    class Meta:
        verbose_name = _("zmiana statusu")
        verbose_name_plural = _("historia statusów")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
