"""Pydantic building blocks shared by every domain's schemas."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from chalicelib.core.ids import is_id


def clean_text(value: str) -> str:
    """Collapse runs of whitespace (names, reasons)."""
    return re.sub(r"\s+", " ", value).strip()


def check_id(value: str) -> str:
    if not is_id(value):
        raise PydanticCustomError("invalid_id", "invalid id")
    return value


Id = Annotated[str, Field(min_length=26, max_length=26), AfterValidator(check_id)]
Text = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(clean_text)]
Reason = Annotated[str, Field(min_length=3, max_length=500), AfterValidator(clean_text)]


class Model(BaseModel):
    """Every API model: its validator is built when first used, not at import (cold start)."""

    model_config = ConfigDict(defer_build=True)


class Strict(Model):
    """Input models: unknown fields are an error, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
