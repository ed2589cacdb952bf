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
export type Credit = Schemas["CreditOut"];
export type Session = Schemas["SessionOut"];
export type Change = Schemas["ChangeOut"];
export type LedgerEntry = Schemas["LedgerEntryOut"];

/** The error envelope every 4xx/5xx carries. */
export interface ApiError {
  code: string;
  message: string;
  details?: unknown;
}

/** One reason a line of a refused order cannot be sold (409 order_rejected). */
export interface LineProblem {
  field: string;
  product_id?: string;
  code: string;
  params?: Record<string, number>;
}
