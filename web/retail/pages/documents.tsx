// A shop that has just registered sends its documents: each one photographed (or a PDF chosen),
// made small enough for 3G, posted straight to the files bucket with the onboarding token's
// grant, then checked by the server (accepted, or refused with the reason). The shop may come
// back to this screen from the login until it is approved.
import { useEffect, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api, problemOf } from "../../shared/api/client";
import type { components } from "../../shared/api/schema.gen";
import { ltr, phoneNumber } from "../../shared/format";
import { useStore } from "../../shared/store";
import { post, shrink } from "../../shared/upload";
import { Welcome } from "../components/layout";
import { Unread, useServer } from "../components/ui";
import { type Onboarding, onboarding, online, useT, waitingShop } from "../state";

type Doc = components["schemas"]["DocumentOut"];
const KINDS = ["rc_extract", "nif_card", "id_card", "shop_photo"] as const;
type Kind = (typeof KINDS)[number];
const ACCEPT = "image/jpeg,image/png,image/webp,application/pdf";

type Sending = { state: "sending" } | { state: "waiting"; file: File } | { state: "failed"; text: string };

/** A document the server has not decided on yet: sent from here and not checked, or scanning. */
const undecided = (doc: Doc | undefined, sent: boolean) =>
  doc === undefined ? sent : doc.status === "scanning" || (sent && doc.status === "awaiting_upload");

export default function Documents() {
  const t = useT();
  const { route } = useLocation();
  const isOnline = useStore(online);
  const [shop] = useState(waitingShop); // as the screen opened (a review below clears the phone's)
  // the shop has been reviewed since (the server no longer takes the registration's token): its
  // owner signs in now, and the phone forgets the registration
  const [reviewed, setReviewed] = useState(false);
  const closed = (error: unknown) => {
    if (problemOf(error).code !== "onboarding_closed") return false;
    onboarding.set(null);
    setReviewed(true);
    return true;
  };
  // what this screen is doing with a kind: sending it, holding it for the connection, or why it failed
  const [sending, setSending] = useState<Partial<Record<Kind, Sending>>>({});
  // the document each kind was last sent as from this screen: being checked until the server's
  // check has looked at it (until then the list says "awaiting upload")
  const [sent, setSent] = useState<Partial<Record<Kind, string>>>({});
  const [polls, setPolls] = useState(0); // looks at the list since the last document sent

  useEffect(() => {
    if (!shop) route("/register", true); // nothing registered from this phone (or it expired)
  }, []);

  const auth = (s: Onboarding) => ({ Authorization: `Bearer ${s.token}` });
  const list = useServer(async () => {
    if (!shop) return undefined;
    const reply = await api.GET("/v1/retailers/{retailer_id}/documents", {
      params: { path: { retailer_id: shop.retailer_id } },
      headers: auth(shop),
    });
    return closed(reply.error) ? [] : reply.data?.data;
  });
  const docs = list.value ?? [];
  const shown = (kind: Kind): Doc | undefined => {
    const id = sent[kind];
    if (id) return docs.find((doc) => doc.document_id === id);
    // else the newest sent before (a grant never used stays "awaiting upload": not a document)
    return docs.filter((doc) => doc.document_type === kind && doc.status !== "awaiting_upload").at(-1);
  };
  // looked at again while a sent document is being checked (a few seconds; 40 looks at most)
  useEffect(() => {
    if (!list.value || polls >= 40 || !KINDS.some((kind) => undecided(shown(kind), kind in sent))) return;
    const timer = setTimeout(() => {
      setPolls((n) => n + 1);
      list.retry();
    }, 1500);
    return () => clearTimeout(timer);
  }, [list.value, sent]);

  if (!shop) return null;

  async function send(kind: Kind, file: File) {
    if (!shop) return;
    // offline, the chosen file waits on this screen and goes when the connection is back
    const wait = () => setSending((now) => ({ ...now, [kind]: { state: "waiting", file } }));
    if (!online.get()) return wait();
    setSending((now) => ({ ...now, [kind]: { state: "sending" } }));
    const failed = (text: string) => setSending((now) => ({ ...now, [kind]: { state: "failed", text } }));
    try {
      const blob = await shrink(file);
      const grant = await api.POST("/v1/retailers/{retailer_id}/documents", {
        params: { path: { retailer_id: shop.retailer_id } },
        headers: auth(shop),
        body: {
          document_type: kind,
          content_type: blob.type as "image/jpeg",
          file_name: file.name.slice(0, 200) || null,
        },
      });
      if (closed(grant.error)) return;
      if (!grant.data) return failed(problemOf(grant.error).message || t("doc_failed"));
      if (!(await post(grant.data.data.upload, blob))) return failed(t("doc_failed"));
      const id = grant.data.data.document_id;
      setSent((now) => ({ ...now, [kind]: id }));
      setSending(({ [kind]: _, ...rest }) => rest);
      setPolls(0);
      list.retry();
    } catch {
      if (online.get()) failed(t("doc_failed"));
      else wait(); // the connection went during the sending: again when it is back
    }
  }

  // the connection is back: the documents chosen meanwhile go, once each
  useEffect(() => {
    if (!isOnline) return;
    for (const kind of KINDS) {
      const now = sending[kind];
      if (now?.state === "waiting") void send(kind, now.file);
    }
  }, [isOnline]);

  if (reviewed) {
    return (
      <Welcome>
        <section class="card stack">
          <h2>{t("documents_title")}</h2>
          <p role="status">{t("registration_reviewed", { shop: shop.shop, username: ltr(shop.username) })}</p>
          <a class="button primary" href="/login">
            {t("login_title")}
          </a>
        </section>
      </Welcome>
    );
  }

  return (
    <Welcome>
      <section class="card stack">
        <h2>{t("documents_title")}</h2>
        <p>{t("registered_intro", { shop: shop.shop })}</p>
        {list.value === null ? (
          <Unread onRetry={list.retry} kept={false} offline={t("doc_offline")} />
        ) : (
          !isOnline && <p class="hint">{t("doc_offline")}</p>
        )}
        <ul class="lines documents">
          {KINDS.map((kind) => {
            const latest = shown(kind);
            const local = sending[kind];
            const state =
              local?.state === "sending"
                ? t("doc_sending")
                : local?.state === "waiting"
                  ? t("doc_when_online")
                  : local
                    ? local.text
                    : !list.value
                      ? "" // not read (yet): nothing said of it
                      : undecided(latest, kind in sent)
                        ? t("doc_checking")
                        : !latest
                          ? t("doc_none")
                          : latest.status === "accepted"
                            ? t("doc_accepted")
                            : t("doc_rejected", { reason: latest.reason_message ?? latest.reason ?? "" });
            const done = !local && latest?.status === "accepted";
            const bad = local?.state === "failed" || (!local && latest?.status === "rejected");
            return (
              <li key={kind} class="line">
                <div class="info">
                  <h3>{t(`doc_${kind}`)}</h3>
                  <p class={bad ? "error" : done ? "ok" : "meta"} role="status">
                    {state}
                  </p>
                </div>
                <label class={`button ${done ? "secondary" : "primary"} file`}>
                  <input
                    type="file"
                    accept={ACCEPT}
                    class="visually-hidden"
                    disabled={local?.state === "sending"}
                    aria-label={`${t(done ? "doc_again" : "doc_choose")}: ${t(`doc_${kind}`)}`}
                    onChange={(e) => {
                      const file = e.currentTarget.files?.[0];
                      e.currentTarget.value = ""; // the same file may be chosen again after a failure
                      if (file) void send(kind, file);
                    }}
                  />
                  {t(done ? "doc_again" : "doc_choose")}
                </label>
              </li>
            );
          })}
        </ul>
        <p class="hint banner">
          {t("registration_waiting", {
            shop: shop.shop,
            phone: ltr(phoneNumber(shop.phone)),
            username: ltr(shop.username),
          })}
        </p>
        <a href="/login">{t("login_title")}</a>
      </section>
    </Welcome>
  );
}
