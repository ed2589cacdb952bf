"""System announcements: admins post them (ar required, fr/en optional) to every shop, one
wilaya's shops, the drivers or everyone, until a date or until withdrawn; each user reads the
ones meant for them, in their language (or the next they likely read)."""

from __future__ import annotations

import time
from datetime import timedelta

from chalicelib.core import clock

TEXTS = {"ar": "المستودع مغلق يوم الجمعة", "fr": "L'entrepôt est fermé vendredi"}


def _post(api, token, **body):
    return api.post("/v1/admin/announcements", token, {"texts": TEXTS, **body})


def _seen(api, token, lang="fr"):
    reply = api.get("/v1/announcements", token, headers={"Accept-Language": lang})
    assert reply.status == 200, reply.body
    return [(a["text"], a["language"]) for a in reply.data]


def test_each_user_reads_what_is_meant_for_them_in_their_language(api, admin_token, shop, driver_token):
    assert _post(api, admin_token).status == 201  # every shop
    algiers = _post(api, admin_token, texts={"ar": "توصيل إضافي في العاصمة"}, audience="wilaya", wilaya=16)
    assert algiers.status == 201 and algiers.data["audience"] == "wilaya" and algiers.data["live"] is True
    assert _post(api, admin_token, texts={"ar": "وهران فقط"}, audience="wilaya", wilaya=31).status == 201
    drivers = {"ar": "للسائقين", "en": "Drivers: new depot hours"}
    assert _post(api, admin_token, texts=drivers, audience="drivers").status == 201
    everyone = _post(api, admin_token, texts={"ar": "للجميع"}, audience="everyone")
    assert everyone.status == 201

    # the shop (wilaya 16): its wilaya's, every shop's and everyone's, newest first
    assert _seen(api, shop["owner_token"], "fr") == [
        ("للجميع", "ar"),
        ("توصيل إضافي في العاصمة", "ar"),
        ("L'entrepôt est fermé vendredi", "fr"),
    ]
    assert _seen(api, shop["buyer_token"], "ar")[-1] == ("المستودع مغلق يوم الجمعة", "ar")
    assert _seen(api, shop["buyer_token"], "en")[-1] == ("L'entrepôt est fermé vendredi", "fr")  # no English: French
    # the driver: the drivers' and everyone's
    assert _seen(api, driver_token, "en") == [("للجميع", "ar"), ("Drivers: new depot hours", "en")]


def test_an_announcement_ends_at_its_date_or_when_withdrawn(api, admin_token, shop):
    ends = (clock.now() + timedelta(seconds=1)).isoformat()
    short = _post(api, admin_token, ends_at=ends).data
    kept = _post(api, admin_token, texts={"ar": "إعلان دائم"}).data
    assert len(_seen(api, shop["owner_token"])) == 2
    time.sleep(1.1)
    assert _seen(api, shop["owner_token"]) == [("إعلان دائم", "ar")]
    withdrawn = api.post(f"/v1/admin/announcements/{kept['announcement_id']}/withdrawal", admin_token)
    assert withdrawn.status == 200 and withdrawn.data["live"] is False and withdrawn.data["withdrawn_at"]
    assert _seen(api, shop["owner_token"]) == []
    listed = api.get("/v1/admin/announcements", admin_token).data  # the admins still see both
    assert {a["announcement_id"]: a["live"] for a in listed} == {
        short["announcement_id"]: False,
        kept["announcement_id"]: False,
    }
    trail = api.get(f"/v1/audit?resource_type=announcement&resource_id={kept['announcement_id']}", admin_token)
    assert [e["action"] for e in trail.data] == ["announcement.withdrawn", "announcement.posted"]


def test_announcements_are_checked_and_for_admins_to_post(api, admin_token, shop, driver_token):
    assert _post(api, shop["owner_token"]).status == 403
    assert _post(api, driver_token).status == 403
    assert api.get("/v1/admin/announcements", shop["owner_token"]).status == 403
    no_wilaya = _post(api, admin_token, audience="wilaya")
    assert no_wilaya.status == 422 and no_wilaya.error["details"][0]["field"] == "wilaya"
    stray = _post(api, admin_token, audience="shops", wilaya=16)
    assert stray.status == 422 and stray.error["details"][0]["code"] == "field_not_allowed"
    past = _post(api, admin_token, ends_at="2020-01-01T00:00:00+01:00")
    assert past.status == 422 and past.error["details"][0]["code"] == "date_in_past"
    no_arabic = api.post("/v1/admin/announcements", admin_token, {"texts": {"fr": "Bonjour"}})
    assert no_arabic.status == 422 and no_arabic.error["details"][0]["field"] == "texts.ar"
    naive = _post(api, admin_token, ends_at="2030-01-01T00:00:00")  # no offset: which 00:00?
    assert naive.status == 422
    assert api.post("/v1/admin/announcements/01J00000000000000000000000/withdrawal", admin_token).status == 404
