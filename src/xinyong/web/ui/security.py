"""Second-factor pages (PLT-1)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
