"""Message texts in Arabic, French and English, and SMS segment counting.

Each template has a body per language (used for SMS, and as the record of what was said)
and, on WhatsApp, an approved template per language whose ContentSid is configuration
(`LIVRILI_WHATSAPP_TEMPLATES`); its variables are the same, numbered in this order.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core.i18n import localized
from chalicelib.core.money import format_dzd


def template_of(kind: str) -> str:
    """The template announcing an event kind: `order.confirmed` → `order_confirmed`."""
    return kind.replace(".", "_")


TEMPLATES: dict[str, dict[str, str]] = {
    "auth_reset_code": {
        "ar": "ليفريلي: رمز استعادة كلمة المرور هو {code}. صالح 10 دقائق. لا تعطه لأحد.",
        "fr": "Livrili : votre code de nouveau mot de passe est {code}. Valable 10 minutes. Ne le donnez à personne.",
        "en": "Livrili: your password reset code is {code}. Valid for 10 minutes. Do not share it.",
    },
    "auth_login_code": {
        "ar": "ليفريلي: رمز الدخول هو {code}. صالح 10 دقائق. إذا لم تحاولوا الدخول، غيروا كلمة المرور.",
        "fr": "Livrili : code de connexion {code}. Valable 10 minutes. Si ce n'est pas vous, changez de mot de passe.",
        "en": "Livrili: your login code is {code}. Valid for 10 minutes. If this was not you, change your password.",
    },
    "auth_phone_code": {
        "ar": "ليفريلي: رمز تأكيد رقم هاتفكم الجديد هو {code}. صالح 10 دقائق. لا تعطه لأحد.",
        "fr": "Livrili : votre code pour le nouveau numéro est {code}. Valable 10 minutes. Ne le donnez à personne.",
        "en": "Livrili: the code confirming your new number is {code}. Valid for 10 minutes. Do not share it.",
    },
    "announcement_posted": {"ar": "{text}", "fr": "{text}", "en": "{text}"},  # its own words, in its languages
    "retailer_approved": {
        "ar": "مرحبا بكم في ليفريلي! تم قبول حساب {shop}. يمكنكم الطلب الآن.",
        "fr": "Bienvenue sur Livrili ! Le compte de {shop} est validé. Vous pouvez commander.",
        "en": "Welcome to Livrili! {shop}'s account is approved. You can order now.",
    },
    "retailer_rejected": {
        "ar": "لم يتم قبول حساب {shop} على ليفريلي: {reason}",
        "fr": "Le compte de {shop} n'a pas été validé sur Livrili : {reason}",
        "en": "{shop}'s Livrili account was not approved: {reason}",
    },
    "order_confirmed": {
        "ar": "ليفريلي: تم تأكيد طلبيتكم {number} بمبلغ {amount}.",
        "fr": "Livrili : votre commande {number} de {amount} est confirmée.",
        "en": "Livrili: your order {number} of {amount} is confirmed.",
    },
    "order_out_for_delivery": {
        "ar": "ليفريلي: طلبيتكم {number} في الطريق إليكم.",
        "fr": "Livrili : votre commande {number} est en route.",
        "en": "Livrili: your order {number} is on its way.",
    },
    "order_delivered": {
        "ar": "ليفريلي: تم تسليم الطلبية {number} بمبلغ {amount}.",
        "fr": "Livrili : commande {number} livrée, {amount}.",
        "en": "Livrili: order {number} delivered, {amount}.",
    },
    "order_cancelled": {
        "ar": "ليفريلي: تم إلغاء الطلبية {number}.",
        "fr": "Livrili : la commande {number} est annulée.",
        "en": "Livrili: order {number} was cancelled.",
    },
    "payment_received": {
        "ar": "ليفريلي: استلمنا {amount}. الرصيد المتبقي {balance}. شكرا!",
        "fr": "Livrili : paiement de {amount} reçu. Reste dû {balance}. Merci !",
        "en": "Livrili: payment of {amount} received. Balance {balance}. Thank you!",
    },
    "credit_reminder_before_due": {
        "ar": "ليفريلي: تذكير، مبلغ {amount} مستحق في {due_date}.",
        "fr": "Livrili : rappel, {amount} à régler avant le {due_date}.",
        "en": "Livrili: reminder, {amount} is due on {due_date}.",
    },
    "credit_reminder_due": {
        "ar": "ليفريلي: مبلغ {amount} مستحق اليوم. شكرا على التسديد.",
        "fr": "Livrili : {amount} arrive à échéance aujourd'hui. Merci de régler.",
        "en": "Livrili: {amount} is due today. Thank you for paying.",
    },
    "credit_reminder_overdue": {
        "ar": "ليفريلي: مبلغ {amount} متأخر منذ {days} يوم (استحقاق {due_date}). يرجى التسديد.",
        "fr": "Livrili : {amount} en retard de {days} jours (échéance {due_date}). Merci de régler.",
        "en": "Livrili: {amount} is {days} days overdue (due {due_date}). Please pay.",
    },
    "catalog_low_stock_digest": {
        "ar": "ليفريلي: {count} منتج تحت الحد الأدنى للمخزون: {names}",
        "fr": "Livrili : {count} produits sous le stock minimum : {names}",
        "en": "Livrili: {count} products below minimum stock: {names}",
    },
    "credit_escalation": {
        "ar": "ليفريلي: {shop} متأخر {days} يوم، المبلغ {amount}.",
        "fr": "Livrili : {shop} a {days} jours de retard, {amount} dus.",
        "en": "Livrili: {shop} is {days} days overdue, {amount} owed.",
    },
}
# which variables of the payload are amounts (formatted by locale)
AMOUNTS = ("amount", "balance")
# variable order of the WhatsApp templates ({{1}}, {{2}}…)
VARIABLES = {
    "retailer_approved": ("shop",),
    "retailer_rejected": ("shop", "reason"),
    "order_confirmed": ("number", "amount"),
    "order_out_for_delivery": ("number",),
    "order_delivered": ("number", "amount"),
    "order_cancelled": ("number",),
    "payment_received": ("amount", "balance"),
    "credit_reminder_before_due": ("amount", "due_date"),
    "credit_reminder_due": ("amount",),
    "credit_reminder_overdue": ("amount", "days", "due_date"),
    "credit_escalation": ("shop", "days", "amount"),
    "catalog_low_stock_digest": ("count", "names"),
    "announcement_posted": ("text",),
    "auth_reset_code": ("code",),
    "auth_login_code": ("code",),
    "auth_phone_code": ("code",),
}

# variables nobody but the recipient may read: the message log keeps them masked (the local
# recording provider, which sends nothing, keeps them readable for `make run` and the tests)
SECRETS = {"auth_reset_code": ("code",), "auth_login_code": ("code",), "auth_phone_code": ("code",)}
# messages the user asked for this minute: sent even to a user who opted out of notifications
ESSENTIAL = frozenset({"auth_reset_code", "auth_login_code", "auth_phone_code"})

# what also goes to the browsers a user subscribed (Web Push): the order's steps and payments
PUSHED = frozenset(
    {
        "order_confirmed",
        "order_out_for_delivery",
        "order_delivered",
        "order_cancelled",
        "payment_received",
        "announcement_posted",
    }
)
APP_NAME = {"ar": "ليفريلي", "fr": "Livrili", "en": "Livrili"}


def masked(template: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with the template's secret variables hidden."""
    return {**payload, **{name: "••••••" for name in SECRETS.get(template, ())}}


# GSM 03.38 basic character set: an SMS in it holds 160 characters, else UCS-2 holds 70
_GSM = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def values(template: str, payload: dict[str, Any], lang: str) -> dict[str, str]:
    """The template's variables, amounts formatted for `lang` (plain spaces: SMS-friendly); a
    `text` given in several languages (`texts`, an announcement) in the reader's."""
    out: dict[str, str] = {}
    for name in VARIABLES[template]:
        value = payload.get(name, "")
        if name == "text" and "texts" in payload:
            value = localized(payload["texts"], lang)[0] or ""
        if name in AMOUNTS:
            value = format_dzd(int(value), lang).replace("\u202f", " ").replace("\u00a0", " ")
        out[name] = str(value)
    return out


def render(template: str, payload: dict[str, Any], lang: str) -> str:
    texts = TEMPLATES[template]
    return (texts.get(lang) or texts["fr"]).format(**values(template, payload, lang))


def segments(text: str) -> int:
    """SMS parts the text takes: GSM-7 160 (153 when split), else UCS-2 70 (67), e.g. Arabic."""
    if set(text) <= _GSM:
        single, part = 160, 153
    else:
        single, part = 70, 67
    return 1 if len(text) <= single else -(-len(text) // part)
