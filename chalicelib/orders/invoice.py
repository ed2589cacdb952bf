"""PDF invoices in French and Arabic, with the mentions Algerian law asks of an invoice.

Built when an order is delivered and stored in S3 (`invoices/{retailer}/{number}.pdf`);
`GET /v1/orders/{id}/invoice` hands out a presigned link and rebuilds the file if it is
missing (the content follows from the delivered order, so a rebuild is the same invoice).

fpdf2 and HarfBuzz (Arabic shaping, right-to-left) are imported only here, inside
`render`: the API's cold start never pays for them. French uses the PDF core font
(Helvetica); Arabic uses Noto Sans Arabic. Amounts and codes inside Arabic text sit in
bidi isolates so `1 250,00` is not reordered.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.accounts import items as accounts_items
from chalicelib.core import clock, storage
from chalicelib.core.config import ConfigError, settings
from chalicelib.core.errors import Conflict
from chalicelib.core.money import amount_in_words, format_dzd
from chalicelib.orders.models import Order

CONTENT_TYPE = "application/pdf"
LINK_TTL = 900
_LRI, _PDI = "\u2066", "\u2069"  # left-to-right isolate … pop directional isolate
_PAYMENT_LABELS = {
    "cash_on_delivery": ("Paiement à la livraison (espèces)", "الدفع عند التسليم (نقدا)"),
    "credit": ("Crédit", "بالآجل"),
}
_LEGAL_IDS = (("rc", "RC", "س.ت"), ("nif", "NIF", "ر.ت.ج"), ("nis", "NIS", "ر.إ"), ("ai", "AI", "م.ض"))


def invoice_key(order: Order) -> str:
    return f"invoices/{order.retailer_id}/{order.invoice_number}.pdf"


def _latin(text: str) -> str:
    """Helvetica is Latin-1: babel's narrow no-break space becomes a plain one."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _iso(text: str) -> str:
    """Keep numbers and codes left-to-right inside Arabic text."""
    return f"{_LRI}{text}{_PDI}"


def _money(centimes: int) -> str:
    return _latin(format_dzd(centimes, "fr"))


class _Sheet:
    """An A4 page written line by line: French in Helvetica, Arabic shaped right-to-left."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.width = pdf.epw

    def fr(self, text: str, size: float = 9, style: str = "", w: float = 0, align: str = "L", h: float = 5) -> None:
        pdf = self.pdf
        pdf.set_text_shaping(False)
        pdf.set_font("helvetica", style, size)
        pdf.cell(
            w or self.width,
            h,
            _latin(text),
            align=align,
            new_x="RIGHT" if w else "LMARGIN",
            new_y="TOP" if w else "NEXT",
        )

    def ar(self, text: str, size: float = 9, w: float = 0, align: str = "R", h: float = 5, border: Any = 0) -> None:
        pdf = self.pdf
        pdf.set_font("ar", "", size)
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ara")
        new_x, new_y = ("RIGHT", "TOP") if w else ("LMARGIN", "NEXT")
        pdf.cell(w or self.width, h, text, border=border, align=align, new_x=new_x, new_y=new_y)
        pdf.set_text_shaping(False)

    def both(self, french: str, arabic: str, size: float = 9, style: str = "") -> None:
        """French on the left half, Arabic on the right half of one line."""
        pdf = self.pdf
        y = pdf.get_y()
        self.fr(french, size, style, w=self.width / 2)
        pdf.set_xy(pdf.l_margin + self.width / 2, y)
        self.ar(arabic, size, w=self.width / 2)
        pdf.set_xy(pdf.l_margin, y + 5.5)


def render(order: Order, seller: dict[str, str], buyer: dict[str, Any]) -> bytes:
    """The invoice of a delivered order, as PDF bytes."""
    from fontpkg_noto_sans_arabic import ROOT as FONT_ROOT
    from fpdf import FPDF

    font = next((FONT_ROOT / "files").glob("*.ttf"))
    pdf = FPDF(format="A4")
    pdf.set_creation_date(clock.parse_iso(order.delivered_at or order.updated_at))
    pdf.set_title(f"Facture {order.invoice_number}")
    pdf.set_author(seller["name"])
    pdf.add_font("ar", fname=str(font))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    sheet = _Sheet(pdf)
    _parties(sheet, order, seller, buyer)
    _lines(sheet, order)
    _totals(sheet, order)
    return bytes(pdf.output())


def _parties(sheet: _Sheet, order: Order, seller: dict[str, str], buyer: dict[str, Any]) -> None:
    """The seller's identity, the invoice's number and date, the buyer's identity."""
    sheet.both(seller["name"], seller.get("name_ar") or seller["name"], 13, "B")
    sheet.both(seller["address"], _iso(seller["address"]))
    for field, label_fr, label_ar in _LEGAL_IDS:
        sheet.both(f"{label_fr} : {seller[field]}", f"{label_ar}: {_iso(seller[field])}", 8)
    sheet.pdf.ln(3)
    delivered_on = date.fromisoformat(clock.local_date(clock.parse_iso(order.delivered_at or order.updated_at)))
    sheet.both(f"FACTURE N° {order.invoice_number}", f"فاتورة رقم {_iso(order.invoice_number)}", 14, "B")
    sheet.both(
        f"Date : {delivered_on:%d/%m/%Y}   Commande : {order.order_number}",
        f"التاريخ: {_iso(f'{delivered_on:%d/%m/%Y}')}   الطلبية: {_iso(order.order_number)}",
    )
    sheet.pdf.ln(2)
    sheet.both("Client", "الزبون", 10, "B")
    sheet.both(buyer["business_name"], buyer["business_name"])
    address = f"{buyer['address']}, {buyer['commune']} ({buyer['wilaya']:02d})"
    sheet.both(address, _iso(address))
    for field, label_fr, label_ar in _LEGAL_IDS:
        value = buyer.get(field) or "-"
        sheet.both(f"{label_fr} : {value}", f"{label_ar}: {_iso(value)}", 8)
    sheet.pdf.ln(3)


_COLUMNS = (("Désignation / التسمية", 0.46), ("Qté", 0.09), ("P.U. HT", 0.16), ("TVA", 0.08), ("Montant HT", 0.21))


def _lines(sheet: _Sheet, order: Order) -> None:
    """The delivered lines: the French name and the figures, the Arabic name below."""
    pdf, width = sheet.pdf, sheet.width
    pdf.set_font("helvetica", "B", 8)
    pdf.set_fill_color(235, 235, 235)
    for title, share in _COLUMNS:
        if "/" in title:
            pdf.set_font("ar", "", 8)
            pdf.set_text_shaping(use_shaping_engine=True, direction="ltr")
            pdf.cell(width * share, 6, title, border=1, fill=True)
            pdf.set_text_shaping(False)
            pdf.set_font("helvetica", "B", 8)
        else:
            pdf.cell(width * share, 6, title, border=1, align="C", fill=True)
    pdf.ln()
    for line in order.lines:
        delivered = int(line.delivered_quantity if line.delivered_quantity is not None else line.quantity)
        if delivered == 0:
            continue
        name_fr = line.name_fr or line.name_en or line.sku
        y = pdf.get_y()
        pdf.set_font("helvetica", "", 8)
        pdf.cell(width * _COLUMNS[0][1], 5, _latin(f"{name_fr} ({line.sku})")[:60], border="LR")
        for text, (_, share) in zip(
            (
                str(delivered),
                _money(int(line.unit_price)),
                f"{int(line.vat_rate)} %",
                _money(delivered * int(line.unit_price)),
            ),
            _COLUMNS[1:],
            strict=True,
        ):
            pdf.cell(width * share, 5, text, border="LR", align="R")
        pdf.set_xy(pdf.l_margin, y + 5)
        sheet.ar(line.name_ar, 8, w=width * _COLUMNS[0][1], border="LRB")
        for _, share in _COLUMNS[1:]:
            pdf.cell(width * share, 5, "", border="LRB")
        pdf.ln()
    pdf.ln(3)


def _totals(sheet: _Sheet, order: Order) -> None:
    """Totals by VAT rate, stamp duty on cash, the amount in words, how it was paid, what is due."""
    subtotal = int(order.delivered_subtotal or 0)
    total = int(order.delivered_total or 0)
    duty = int(order.stamp_duty or 0)
    cash = int(order.cash_collected or 0)
    sheet.fr(f"Total HT : {_money(subtotal)}", 10, "B", align="R")
    for vat in order.delivered_vat_breakdown or []:
        sheet.fr(f"TVA {int(vat.rate)} % sur {_money(int(vat.base))} : {_money(int(vat.vat))}", 10, align="R")
    sheet.fr(f"Total TTC : {_money(total)}", 10, "B", align="R")
    sheet.ar(f"المجموع بجميع الرسوم: {_iso(_money(total))}", 10)
    if cash:
        sheet.fr(f"Droit de timbre (paiement en espèces de {_money(cash)}) : {_money(duty)}", 10, align="R")
        sheet.fr(f"Net à payer : {_money(total + duty)}", 10, "B", align="R")
        sheet.ar(f"حقوق الطابع: {_iso(_money(duty))}", 10)
    sheet.pdf.ln(2)
    words_total = total + duty if cash else total
    sheet.fr(f"Arrêtée la présente facture à la somme de : {amount_in_words(words_total, 'fr')}.", 9)
    sheet.ar(f"أوقفت هذه الفاتورة على مبلغ: {amount_in_words(words_total, 'ar')}.", 9)
    sheet.ar(f"المبلغ: {_iso(_money(words_total))}", 9)
    sheet.pdf.ln(2)
    method_fr, method_ar = _PAYMENT_LABELS.get(order.payment_method, (order.payment_method, order.payment_method))
    sheet.both(f"Mode de paiement : {method_fr}", f"طريقة الدفع: {method_ar}")
    if cash:
        sheet.both(f"Payé en espèces : {_money(cash)}", f"المدفوع نقدا: {_iso(_money(cash))}")
    if order.due_date:
        owed = total - cash
        due = date.fromisoformat(order.due_date)
        sheet.both(
            f"Reste dû : {_money(owed)} avant le {due:%d/%m/%Y}",
            f"المتبقي: {_iso(_money(owed))} قبل {_iso(f'{due:%d/%m/%Y}')}",
        )


def _buyer(order: Order) -> dict[str, Any]:
    retailer = accounts_items.get_retailer_item(order.retailer_id)
    return {
        "business_name": retailer.business_name,
        "address": retailer.address,
        "commune": retailer.commune,
        "wilaya": int(retailer.wilaya),
        "rc": retailer.registration_number,
        "nif": retailer.tax_number,
        "nis": retailer.nis,
        "ai": retailer.ai,
    }


def _seller() -> dict[str, str]:
    seller = settings().seller
    missing = [k for k in ("name", "address", "rc", "nif", "nis", "ai") if not seller.get(k)]
    if missing:
        raise ConfigError(f"the seller's legal identity is incomplete: set LIVRILI_SELLER_{missing[0].upper()}")
    return seller


def store(order: Order) -> str:
    """Build the invoice of a delivered order and put it in S3; returns its key."""
    key = invoice_key(order)
    storage.put_object(key, render(order, _seller(), _buyer(order)), CONTENT_TYPE)
    return key


def link(order: Order) -> dict[str, Any]:
    """A download link for the invoice (built now if it is not stored yet)."""
    if not order.invoice_number:
        raise Conflict("invoice_not_ready", params={"status": order.status})
    key = invoice_key(order)
    if not storage.exists(key):
        store(order)
    return {
        "invoice_number": order.invoice_number,
        "url": storage.presigned_get(key, LINK_TTL, filename=f"{order.invoice_number}.pdf"),
        "expires_in": LINK_TTL,
    }
