import { describe, expect, it } from "vitest";
import { problemOf } from "../shared/api/client";

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
