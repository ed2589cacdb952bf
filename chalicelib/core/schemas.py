"""Pydantic building blocks shared by every domain's schemas."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from chalicelib.core.ids import is_id

# C0 controls but tab, line feed and carriage return (whitespace, handled below), DEL, C1
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _checked(value: str) -> str:
    """NFC (one spelling of `é` or of an Arabic letter with its marks, so text compares equal),
    and no control characters: they would end up in PDFs, SMS and admin screens (refused, 422
    `control_characters`, rather than silently changed)."""
    if _CONTROLS.search(value):
        raise PydanticCustomError("control_characters", "control characters")
    return unicodedata.normalize("NFC", value)


def clean_text(value: str) -> str:
    """One line of text (names, reasons, addresses): NFC, no control characters, runs of
    whitespace (newlines included) collapsed to one space."""
    return re.sub(r"\s+", " ", _checked(value)).strip()


def clean_free_text(value: str) -> str:
    """Text with lines (notes): NFC, no control characters, line breaks kept (as `\\n`), other
    runs of spaces and tabs collapsed."""
    lines = _checked(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(re.sub(r"[^\S\n]+", " ", line).strip() for line in lines).strip()


def check_id(value: str) -> str:
    if not is_id(value):
        raise PydanticCustomError("invalid_id", "invalid id")
    return value


Id = Annotated[str, Field(min_length=26, max_length=26), AfterValidator(check_id)]
Text = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(clean_text)]
Reason = Annotated[str, Field(min_length=3, max_length=500), AfterValidator(clean_text)]
# a yes/no in a JSON body: only true or false (never 0, 1 or "yes"); query strings stay lax
Flag = Annotated[bool, Field(strict=True)]
FreeText = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(clean_free_text)]


class Model(BaseModel):
    """Every API model: its validator is built when first used, not at import (cold start)."""

    model_config = ConfigDict(defer_build=True)


class Strict(Model):
    """Input models: unknown fields are an error, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    def given(self) -> dict[str, Any]:
        """What a PATCH sets: the fields sent with a value (a null or a left-out field stays as
        it is; `version` is the concurrency check, not a change)."""
        return {k: v for k, v in self.model_dump(exclude_unset=True).items() if v is not None and k != "version"}


class PageQuery(Strict):
    cursor: Annotated[str, Field(max_length=2048)] | None = None
    limit: Annotated[int, Field(ge=1, le=100)] = 25


class UploadForm(Model):
    """A presigned S3 POST: send `fields` plus the file (last) as multipart to `url`."""

    url: str
    fields: dict[str, str]


class UploadGrant(Model):
    """Where and how to upload one file: the object key, the form, its limits."""

    key: str
    upload: UploadForm
    max_bytes: int
    expires_in: int = Field(description="Seconds the form stays valid")
