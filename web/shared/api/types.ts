// Names for the API's schemas, all generated from /openapi.json (schema.gen.ts, made at build).
import type { components, paths } from "./schema.gen";

type Schemas = components["schemas"];

export type { paths };
export type Token = Schemas["TokenOut"];
export type User = Schemas["UserOut"];
export type Me = Schemas["MeOut"];
export type Product = Schemas["ProductSummaryOut"];
export type ProductChange = Schemas["ProductChangeOut"];
export type Category = Schemas["CategoryOut"];
export type Order = Schemas["OrderOut"];
export type OrderSummary = Schemas["OrderSummaryOut"];
export type OrderLine = Schemas["OrderLineOut"];
export type OrderEvent = Schemas["OrderEventOut"];
export type OrderStatus = Schemas["OrderStatus"];
export type PaymentMethod = Schemas["PaymentMethod"];
export type OrderCreate = Schemas["OrderCreateIn"];
export type Transition = Schemas["TransitionIn"];
export type FailureReason = Schemas["FailureReason"];
export type Credit = Schemas["CreditOut"];
export type Session = Schemas["SessionOut"];
export type Change = Schemas["ChangeOut"];
export type LedgerEntry = Schemas["LedgerEntryOut"];
export type Preference = Schemas["PreferenceOut"];
export type Announcement = Schemas["AnnouncementOut"];
/** A page of `GET /v1/products`: the envelope as it comes. */
export type ProductPage = paths["/v1/products"]["get"]["responses"]["200"]["content"]["application/json"];
/** A reply of `GET /v1/categories`. */
export type CategoryPage = paths["/v1/categories"]["get"]["responses"]["200"]["content"]["application/json"];

/** The error envelope every 4xx/5xx carries. */
export interface ApiError {
  code: string;
  message: string;
  details?: unknown;
}

/** One reason a line of a refused order cannot be sold (409 order_rejected): the field
 * (`items.2.quantity`), the code, the server's message in the user's language, and the
 * message's parameters beside them (`available`, `pack_size`, `min_order_quantity`). */
export interface LineProblem {
  field: string;
  code: string;
  message?: string;
  [param: string]: string | number | undefined;
}

/** The numbers a problem carries (its parameters). */
export function problemParams(problem: LineProblem): Record<string, number> {
  const params: Record<string, number> = {};
  for (const [name, value] of Object.entries(problem)) if (typeof value === "number") params[name] = value;
  return params;
}
