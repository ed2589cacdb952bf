"""Notifications' pure rules: a message's status only moves forward, and the words a shop
may text us (stop, start, status) with our replies, in Arabic, French and English."""

from __future__ import annotations

# a status only moves forward: a late `sent` never overwrites `delivered`
STATUS_RANK = {
    "sending": 0,
    "queued": 1,
    "accepted": 1,
    "sent": 2,
    "delivered": 3,
    "undelivered": 3,
    "failed": 3,
    "read": 4,
}


OPT_OUT_WORDS = frozenset(
    {"stop", "arret", "arrêt", "arreter", "arrêter", "unsubscribe", "توقف", "إيقاف", "ايقاف", "الغاء", "إلغاء"}
)

OPT_IN_WORDS = frozenset({"start", "reprise", "reprendre", "ابدأ", "ابدا", "اشتراك"})

STATUS_WORDS = frozenset({"status", "statut", "etat", "état", "حالة", "حاله"})

REPLIES = {
    "opted_out": {
        "ar": "تم إيقاف رسائل ليفريلي. أرسل ابدأ لاستئنافها.",
        "fr": "Vous ne recevrez plus de messages Livrili. Envoyez START pour reprendre.",
        "en": "You will no longer receive Livrili messages. Send START to resume.",
    },
    "opted_in": {
        "ar": "تم استئناف رسائل ليفريلي.",
        "fr": "Les messages Livrili reprennent.",
        "en": "Livrili messages are back on.",
    },
    "status": {
        "ar": "طلبيتكم الأخيرة {number}: {status}.",
        "fr": "Votre dernière commande {number} : {status}.",
        "en": "Your latest order {number}: {status}.",
    },
    "no_order": {"ar": "لا توجد طلبيات بعد.", "fr": "Aucune commande pour l'instant.", "en": "No orders yet."},
    "unknown": {
        "ar": "مرحبا! هذا الرقم خاص بزبائن ليفريلي. للتسجيل: livrili.dz",
        "fr": "Bonjour ! Ce numéro est réservé aux clients Livrili. Inscription : livrili.dz",
        "en": "Hello! This number serves Livrili customers. Sign up at livrili.dz",
    },
    "help": {
        "ar": "أرسل حالة لمعرفة حالة طلبيتكم، أو توقف لإيقاف الرسائل.",
        "fr": "Envoyez STATUT pour l'état de votre commande, ou STOP pour ne plus recevoir de messages.",
        "en": "Send STATUS for your order's status, or STOP to stop messages.",
    },
}


def keyword(body: str) -> str:
    import unicodedata

    word = unicodedata.normalize("NFKC", body).strip().strip(".!?؟").lower()
    return word.split()[0] if word else ""
