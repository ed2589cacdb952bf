// A new shop signs up from the phone: the shop, its trade register and tax numbers, and its
// owner, in one form (the server checks every field and says what to fix next to it); then the
// documents. The shop waits for approval: until then its owner cannot sign in.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api, fieldProblems, problemOf } from "../../shared/api/client";
import { ltr, parseCount } from "../../shared/format";
import type { Key } from "../../shared/i18n";
import { useStore } from "../../shared/store";
import { LAST_WILAYA, wilayaName, wilayaOfRc } from "../../shared/wilayas";
import { Welcome } from "../components/layout";
import { NewPasswordInput } from "../components/ui";
import { i18n, onboarding, useT } from "../state";

const TYPES = [
  "grocery",
  "superette",
  "mini_market",
  "supermarket",
  "kiosk",
  "wholesaler",
  "bakery",
  "cafe_restaurant",
  "cosmetics",
  "other",
] as const;

type Form = {
  business_name: string;
  business_type: (typeof TYPES)[number];
  phone: string;
  wilaya: string;
  commune: string;
  address: string;
  registration_number: string;
  tax_number: string;
  nis: string;
  ai: string;
  "owner.full_name": string;
  "owner.phone": string;
  "owner.username": string;
  "owner.password": string;
};

// in the order the form shows them: the first refused one is the one focused
const EMPTY: Form = {
  business_name: "",
  business_type: "superette",
  phone: "",
  registration_number: "",
  tax_number: "",
  nis: "",
  ai: "",
  wilaya: "",
  commune: "",
  address: "",
  "owner.full_name": "",
  "owner.phone": "",
  "owner.username": "",
  "owner.password": "",
};

/** One field: its label, a hint under it, and what the server said of it (read with the field). */
function Field(props: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.name}>{props.label}</label>
      {props.children}
      {props.hint && (
        <small class="meta" id={`${props.name}-hint`}>
          {props.hint}
        </small>
      )}
      {props.error && (
        <small class="error" id={`${props.name}-error`}>
          {props.error}
        </small>
      )}
    </div>
  );
}

export default function Register() {
  const t = useT();
  const { lang } = useStore(i18n);
  const { route } = useLocation();
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const wilaya = parseCount(form.wilaya);
  const wilayaLabel = wilaya ? wilayaName(wilaya, lang) : null;

  /** The props every text input shares: its value, its name, what describes it. */
  const input = (name: keyof Form, hint = false) => ({
    id: name,
    name,
    value: form[name],
    "aria-invalid": name in errors ? true : undefined,
    "aria-describedby":
      [hint && `${name}-hint`, name in errors && `${name}-error`].filter(Boolean).join(" ") || undefined,
    onInput: (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value }),
  });

  async function submit(event: Event) {
    event.preventDefault();
    setProblem(null);
    const body = {
      business_name: form.business_name,
      business_type: form.business_type,
      phone: form.phone,
      wilaya: wilaya ?? 0, // not a number: the server refuses it with the other fields, in one go
      commune: form.commune,
      address: form.address,
      registration_number: form.registration_number,
      tax_number: form.tax_number,
      nis: form.nis.trim() || null,
      ai: form.ai.trim() || null,
      owner: {
        full_name: form["owner.full_name"],
        phone: form["owner.phone"],
        username: form["owner.username"].trim(),
        password: form["owner.password"],
        language: lang,
      },
    };
    setBusy(true);
    const reply = await api.POST("/v1/retailers", { body }).catch(() => null);
    setBusy(false);
    if (!reply) {
      setProblem(t("register_needs_network"));
      return;
    }
    if (reply.error || !reply.data) {
      const fields = fieldProblems(reply.error);
      if (fields.wilaya) fields.wilaya = t("wilaya_unknown", { max: LAST_WILAYA }); // says which codes are
      setErrors(fields);
      const first = (Object.keys(EMPTY) as (keyof Form)[]).find((name) => name in fields);
      setProblem(first ? t("register_fix") : problemOf(reply.error).message || t("error_generic"));
      if (first) document.getElementById(first)?.focus();
      return;
    }
    const { retailer, owner, onboarding_token, onboarding_token_expires_in } = reply.data.data;
    onboarding.set({
      retailer_id: retailer.retailer_id,
      token: onboarding_token,
      expires_at: Date.now() + onboarding_token_expires_in * 1000,
      shop: retailer.business_name,
      username: owner.username,
      phone: owner.phone ?? retailer.phone,
    });
    route("/register/documents");
  }

  const section = (title: Key) => <h3 class="section">{t(title)}</h3>;
  return (
    <Welcome>
      <form class="card stack register" onSubmit={submit} noValidate>
        <h2>{t("register_title")}</h2>
        <p class="meta">{t("register_intro")}</p>
        {section("register_shop")}
        <Field name="business_name" label={t("business_name")} error={errors.business_name}>
          <input {...input("business_name")} required autocomplete="organization" dir="auto" />
        </Field>
        <Field name="business_type" label={t("business_type")} error={errors.business_type}>
          <select
            id="business_type"
            value={form.business_type}
            onChange={(e) =>
              setForm({ ...form, business_type: e.currentTarget.value as Form["business_type"] })
            }
          >
            {TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`type_${type}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field name="phone" label={t("shop_phone")} error={errors.phone}>
          <input {...input("phone")} required type="tel" inputMode="tel" autocomplete="tel" dir="ltr" />
        </Field>
        {section("register_legal")}
        <Field
          name="registration_number"
          label={t("rc_number")}
          hint={t("rc_hint", { example: ltr("16/00-0912345 B 19") })}
          error={errors.registration_number}
        >
          <input
            {...input("registration_number", true)}
            required
            dir="ltr"
            autocapitalize="characters"
            onBlur={() => {
              // the RC's first number is the wilaya it was registered in: a likely answer below
              const code = wilayaOfRc(form.registration_number);
              if (code && !form.wilaya) setForm({ ...form, wilaya: String(code) });
            }}
          />
        </Field>
        <Field name="tax_number" label={t("nif")} hint={t("nif_hint")} error={errors.tax_number}>
          <input {...input("tax_number", true)} required inputMode="numeric" dir="ltr" />
        </Field>
        <Field name="nis" label={t("nis")} error={errors.nis}>
          <input {...input("nis")} inputMode="numeric" dir="ltr" />
        </Field>
        <Field name="ai" label={t("ai")} error={errors.ai}>
          <input {...input("ai")} inputMode="numeric" dir="ltr" />
        </Field>
        <Field
          name="wilaya"
          label={t("wilaya_code")}
          hint={wilayaLabel ? `${wilaya} · ${wilayaLabel}` : t("wilaya_hint")}
          error={errors.wilaya}
        >
          <input {...input("wilaya", true)} required inputMode="numeric" dir="ltr" maxLength={2} />
        </Field>
        <Field name="commune" label={t("commune")} error={errors.commune}>
          <input {...input("commune")} required dir="auto" />
        </Field>
        <Field name="address" label={t("address")} error={errors.address}>
          <input {...input("address")} required dir="auto" autocomplete="street-address" />
        </Field>
        {section("register_owner")}
        <Field name="owner.full_name" label={t("full_name")} error={errors["owner.full_name"]}>
          <input {...input("owner.full_name")} required dir="auto" autocomplete="name" />
        </Field>
        <Field
          name="owner.phone"
          label={t("owner_phone")}
          hint={t("owner_phone_hint")}
          error={errors["owner.phone"]}
        >
          <input {...input("owner.phone", true)} required type="tel" inputMode="tel" dir="ltr" />
        </Field>
        <Field
          name="owner.username"
          label={t("username")}
          hint={t("username_hint")}
          error={errors["owner.username"]}
        >
          <input
            {...input("owner.username", true)}
            required
            dir="ltr"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
          />
        </Field>
        <Field name="owner.password" label={t("password")} error={errors["owner.password"]}>
          <NewPasswordInput
            id="owner.password"
            value={form["owner.password"]}
            onValue={(password) => setForm({ ...form, "owner.password": password })}
          />
        </Field>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t("register_sending") : t("register_send")}
        </button>
        <a href="/login">{t("login_title")}</a>
      </form>
    </Welcome>
  );
}
