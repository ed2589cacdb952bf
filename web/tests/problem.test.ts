import { describe, expect, it } from "vitest";
import { fieldProblems, problemOf } from "../shared/api/client";

const envelope = (error: unknown) => ({ success: false, error });

describe("problemOf", () => {
  it("says what the fields say when some are invalid", () => {
    const problem = problemOf(
      envelope({
        code: "validation_error",
        message: "Certains champs sont invalides.",
        details: [
          { field: "new_password", code: "weak_password", message: "10 caractères au moins." },
          { field: "new_password", code: "weak_password", message: "10 caractères au moins." },
          { field: "phone", code: "invalid_phone", message: "Numéro de mobile algérien attendu." },
        ],
      }),
    );
    expect(problem.code).toBe("validation_error");
    expect(problem.message).toBe("10 caractères au moins. Numéro de mobile algérien attendu.");
  });
  it("keeps the server's message for other refusals and when fields say nothing", () => {
    const conflict = { code: "username_taken", message: "Ce nom d'utilisateur est pris." };
    expect(problemOf(envelope(conflict))).toEqual(conflict);
    const bare = {
      code: "validation_error",
      message: "Certains champs sont invalides.",
      details: [{ field: "x" }],
    };
    expect(problemOf(envelope(bare)).message).toBe("Certains champs sont invalides.");
  });
  it("is generic when the reply is no envelope", () => {
    expect(problemOf(undefined)).toEqual({ code: "internal_error", message: "" });
  });
});

describe("fieldProblems", () => {
  it("gives each refused field its first message, nested fields by their path", () => {
    const found = fieldProblems(
      envelope({
        code: "validation_error",
        message: "Certains champs sont invalides.",
        details: [
          { field: "tax_number", code: "invalid_nif", message: "15 ou 20 chiffres." },
          { field: "owner.username", code: "username_is_phone", message: "Pas un numéro." },
          { field: "tax_number", code: "other", message: "Second." },
          { field: "x" },
        ],
      }),
    );
    expect(found).toEqual({ tax_number: "15 ou 20 chiffres.", "owner.username": "Pas un numéro." });
  });
  it("reads a conflict's field the same way, and nothing from a reply without details", () => {
    const taken = {
      code: "username_taken",
      message: "Pris.",
      details: [{ field: "owner.username", message: "Pris." }],
    };
    expect(fieldProblems(envelope(taken))).toEqual({ "owner.username": "Pris." });
    expect(fieldProblems(envelope({ code: "internal_error", message: "" }))).toEqual({});
    expect(fieldProblems(undefined)).toEqual({});
  });
});
