"""The error tree. Each error has a stable ``code``; the web layer maps classes to statuses.

Every code is a member of :class:`ErrorCode`, the one registry of codes, which also names the
classes of the tree a code may be raised as — so each code answers with a known HTTP status
(``web/errors.py``) documented in ``docs/errors.md``. An error built with a code the registry
does not know, or as a class the registry does not allow for it, fails at once.
"""

from __future__ import annotations

from enum import StrEnum, unique
from typing import Any


class XinyongError(Exception):
    """Base of every expected failure. ``code`` is stable; ``message`` is a human sentence."""

    code = "error"

    def __init_subclass__(cls, *, code: str | None = None, **kwargs: Any) -> None:
        """``class ObjectionClosed(Conflict, code="objection_closed"): ...`` names a refusal:
        its code must be registered for its class, checked as the class is made."""
        super().__init_subclass__(**kwargs)
        if code is not None:
            _check_registered(code, cls)
            cls.code = code

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        _check_registered(self.code, type(self))
        self.details = details or []


class InvalidInput(XinyongError):
    """Malformed or invalid input (400/422)."""

    code = "invalid_input"


class NotAuthenticated(XinyongError):
    """No valid credentials (401)."""

    code = "not_authenticated"


class PermissionDenied(XinyongError):
    """Authenticated but not allowed (403)."""

    code = "forbidden"


class NotFound(XinyongError):
    """The object does not exist or is not visible to the actor (404)."""

    code = "not_found"


class MethodNotAllowed(XinyongError):
    """The operation is never allowed, e.g. deleting a record (405)."""

    code = "method_not_allowed"


class Conflict(XinyongError):
    """The request conflicts with the current state (409)."""

    code = "conflict"


class RuleViolation(XinyongError):
    """A rule of the regulation refuses the request (422)."""

    code = "rule_violation"


class CalendarNotCovered(RuleViolation):
    """A working-day computation reaches a year neither the statutory calendar nor the
    credit office's overrides cover (RGT-6)."""

    code = "calendar_not_covered"


class RateLimited(XinyongError):
    """Too many requests (429)."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


@unique
class ErrorCode(StrEnum):
    """Every code the domain answers with, and the classes of the tree it may be raised as.

    Add a code here before raising it. A code with two classes answers with two statuses
    (kept as they were when the registry was made; ``docs/errors.md`` says where each comes
    from).
    """

    kinds: tuple[type[XinyongError], ...]

    def __new__(cls, value: str, *kinds: type[XinyongError]) -> ErrorCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.kinds = kinds
        return member

    # Added with issues 15 and 17 (the publication store, backups, special reports, watches).
    BACKUP_FAILED = "backup_failed", InvalidInput
    INVALID_SPECIAL_REPORT = "invalid_special_report", InvalidInput
    INVALID_SUBJECT = "invalid_subject", InvalidInput
    OPEN_DATA_NOT_FOUND = "open_data_not_found", NotFound
    TOO_MANY_WATCHES = "too_many_watches", RuleViolation
    ALREADY_WATCHED = "already_watched", Conflict
    NO_CONSENT = "no_consent", PermissionDenied
    # Added with issue 14 (the sysadmin, auditor and provider desks).
    NOT_A_SUBJECT_ACCOUNT = "not_a_subject_account", InvalidInput
    AUTHORITY_NOT_APPLICABLE = "authority_not_applicable", InvalidInput
    ROLE_INVALID = "role_invalid", InvalidInput
    SUBJECT_INVALID = "subject_invalid", InvalidInput
    AUTHORITY_INVALID = "authority_invalid", InvalidInput
    RECORD_INVALID = "record_invalid", InvalidInput
    USER_NOT_FOUND = "user_not_found", NotFound
    ENTRY_NOT_FOUND = "entry_not_found", NotFound
    ITEM_NOT_FOUND = "item_not_found", NotFound
    CANNOT_DISABLE_SELF = "cannot_disable_self", Conflict
    # Added with issue 17 (batch checks: the file, and a row whose name does not match).
    BINARY_FILE = "binary_file", InvalidInput
    NOT_UTF8 = "not_utf8", InvalidInput
    MISSING_HEADER = "missing_header", InvalidInput
    NO_ROWS = "no_rows", InvalidInput
    TOO_MANY_ROWS = "too_many_rows", InvalidInput
    NAME_MISMATCH = "name_mismatch", PermissionDenied
    # Added with issue 14 (the credit office's dashboard filters).
    INVALID_REGION = "invalid_region", InvalidInput
    UNKNOWN_PROVIDER = "unknown_provider", InvalidInput
    # InvalidInput
    AGREEMENT_INCOMPLETE = "agreement_incomplete", InvalidInput
    BASIS_REQUIRED = "basis_required", InvalidInput
    DATE_INVALID = "date_invalid", InvalidInput
    DECIDING_ORG_NOT_OWN = "deciding_org_not_own", InvalidInput
    DECIDING_ORG_USCC_MISSING = "deciding_org_uscc_missing", InvalidInput
    EFFECTIVE_ON_INVALID = "effective_on_invalid", InvalidInput
    EMPTY_FILE = "empty_file", InvalidInput
    FILE_MISSING = "file_missing", InvalidInput
    GROUND_RECORD_INVALID = "ground_record_invalid", InvalidInput
    IDENTIFIER_KIND_MISMATCH = "identifier_kind_mismatch", InvalidInput
    IDENTITY_CHECK_MISSING = "identity_check_missing", InvalidInput
    ILLEGAL_TRANSITION = "illegal_transition", InvalidInput, Conflict
    INVALID_CAP = "invalid_cap", InvalidInput
    INVALID_CONSENT = "invalid_consent", InvalidInput
    INVALID_CURSOR = "invalid_cursor", InvalidInput
    INVALID_DATE = "invalid_date", InvalidInput
    INVALID_HEADER = "invalid_header", InvalidInput
    INVALID_IDENTIFIER = "invalid_identifier", InvalidInput
    INVALID_INPUT = "invalid_input", InvalidInput
    INVALID_RANGE = "invalid_range", InvalidInput
    INVALID_RATIOS = "invalid_ratios", InvalidInput
    INVALID_RECORD = "invalid_record", InvalidInput
    INVALID_USCC = "invalid_uscc", InvalidInput
    ITEM_MISSING = "item_missing", InvalidInput
    LEGAL_BASIS_MISSING = "legal_basis_missing", InvalidInput
    NO_CHANGE = "no_change", InvalidInput, Conflict
    NO_MEASURES = "no_measures", InvalidInput
    NO_ORGANISATION = "no_organisation", InvalidInput
    NOT_A_SOURCE_ORGANISATION = "not_a_source_organisation", InvalidInput
    NOT_AN_INSTITUTION = "not_an_institution", InvalidInput
    OPINION_INCOMPLETE = "opinion_incomplete", InvalidInput
    PURPOSE_RESERVED = "purpose_reserved", InvalidInput
    QUERY_TOO_SHORT = "query_too_short", InvalidInput
    RANGE_TOO_LONG = "range_too_long", InvalidInput
    REASON_MISSING = "reason_missing", InvalidInput
    REASON_REQUIRED = "reason_required", InvalidInput
    TOO_MANY_SUBSCRIPTIONS = "too_many_subscriptions", InvalidInput
    TOTP_INVALID = "totp_invalid", InvalidInput, NotAuthenticated
    UNKNOWN_CATALOGUE_ITEM = "unknown_catalogue_item", InvalidInput
    UNKNOWN_GRANTEE = "unknown_grantee", InvalidInput
    UNKNOWN_MATTER = "unknown_matter", InvalidInput
    UNKNOWN_ORGANISATION = "unknown_organisation", InvalidInput
    UNKNOWN_STATUS = "unknown_status", InvalidInput
    UNKNOWN_STEP = "unknown_step", InvalidInput
    UNKNOWN_SUBJECT = "unknown_subject", InvalidInput
    UNKNOWN_VIOLATION_KIND = "unknown_violation_kind", InvalidInput
    UNREADABLE_FILE = "unreadable_file", InvalidInput
    WEAK_PASSWORD = "weak_password", InvalidInput
    WEBHOOK_DESTINATION_REFUSED = "webhook_destination_refused", InvalidInput
    # NotAuthenticated
    INVALID_CREDENTIALS = "invalid_credentials", NotAuthenticated
    INVALID_TOKEN = "invalid_token", NotAuthenticated
    NOT_AUTHENTICATED = "not_authenticated", NotAuthenticated, PermissionDenied
    TOTP_REQUIRED = "totp_required", NotAuthenticated
    # PermissionDenied
    CHANNEL_FORBIDDEN = "channel_forbidden", PermissionDenied
    CONSENT_REQUIRED = "consent_required", PermissionDenied
    CSRF_FAILED = "csrf_failed", PermissionDenied
    FORBIDDEN = "forbidden", PermissionDenied
    INSTITUTION_NOT_FILED = "institution_not_filed", PermissionDenied
    ITEM_NOT_AGREEABLE = "item_not_agreeable", PermissionDenied, RuleViolation
    ITEM_NOT_AUTHORISED = "item_not_authorised", PermissionDenied
    NO_AGREEMENT = "no_agreement", PermissionDenied
    NOT_A_COLLECTION_SOURCE = "not_a_collection_source", PermissionDenied
    NOT_SELF_DECLARABLE = "not_self_declarable", PermissionDenied
    NOT_THE_DECIDING_ORGAN = "not_the_deciding_organ", PermissionDenied
    NOT_THE_PROVIDER = "not_the_provider", PermissionDenied
    PURPOSE_NOT_AUTHORISED = "purpose_not_authorised", PermissionDenied
    REAUTHENTICATION_FAILED = "reauthentication_failed", PermissionDenied
    ROLE_NOT_AUTHORISED = "role_not_authorised", PermissionDenied
    SUBJECT_ONLY = "subject_only", PermissionDenied
    TOTP_NOT_AVAILABLE = "totp_not_available", PermissionDenied
    # NotFound
    CONSENT_NOT_FOUND = "consent_not_found", NotFound
    INSTITUTION_NOT_FOUND = "institution_not_found", NotFound
    NO_CHECKPOINT = "no_checkpoint", NotFound
    NOT_FOUND = "not_found", NotFound
    PANEL_NOT_FOUND = "panel_not_found", NotFound
    PURPOSE_NOT_FOUND = "purpose_not_found", NotFound
    REPORT_NOT_FOUND = "report_not_found", NotFound
    SUBJECT_NOT_FOUND = "subject_not_found", NotFound
    SUBJECT_NOT_REGISTERED = "subject_not_registered", NotFound, RuleViolation
    UNKNOWN_LANGUAGE = "unknown_language", NotFound
    # MethodNotAllowed
    METHOD_NOT_ALLOWED = "method_not_allowed", MethodNotAllowed
    # Conflict
    AGREEMENT_EXISTS = "agreement_exists", Conflict
    ALREADY_PUBLISHED = "already_published", Conflict
    ALREADY_REPAIRED = "already_repaired", Conflict
    ANSWERED = "answered", Conflict
    CATALOGUE_DRAFT_IN_PROGRESS = "catalogue_draft_in_progress", Conflict
    CATALOGUE_ITEM_EXISTS = "catalogue_item_exists", Conflict
    COMMENT_CLOSED = "comment_closed", Conflict
    COMMITMENT_CLOSED = "commitment_closed", Conflict
    CONFLICT = "conflict", Conflict
    CONSENT_REVOKED = "consent_revoked", Conflict
    DEFENCE_PERIOD_OVER = "defence_period_over", Conflict
    DEFENCE_PERIOD_RUNNING = "defence_period_running", Conflict
    DONE = "done", Conflict
    ENTRY_NOT_ACTIVE = "entry_not_active", Conflict
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused", Conflict
    INSTITUTION_ALREADY_FILED = "institution_already_filed", Conflict
    MEASURE_EXISTS = "measure_exists", Conflict
    MEASURE_NOT_PENDING = "measure_not_pending", Conflict
    NO_STATEMENT = "no_statement", Conflict
    OBJECTION_CLOSED = "objection_closed", Conflict
    OBJECTION_OPEN = "objection_open", Conflict
    ORGANISATION_EXISTS = "organisation_exists", Conflict
    PURPOSE_EXISTS = "purpose_exists", Conflict
    PURPOSE_STEP_NOT_ALLOWED = "purpose_step_not_allowed", Conflict
    REPAIR_CLOSED = "repair_closed", Conflict
    REPAIR_OPEN = "repair_open", Conflict
    SOURCE_ALREADY_REGISTERED = "source_already_registered", Conflict
    STATEMENT_MADE = "statement_made", Conflict
    STATEMENT_UNANSWERED = "statement_unanswered", Conflict
    SUBJECT_TYPE_CONFLICT = "subject_type_conflict", Conflict
    TOTP_ALREADY_ENROLLED = "totp_already_enrolled", Conflict
    TOTP_NOT_ENROLLED = "totp_not_enrolled", Conflict
    TOTP_NOT_STARTED = "totp_not_started", Conflict
    USCC_ALREADY_FILED = "uscc_already_filed", Conflict
    USERNAME_TAKEN = "username_taken", Conflict
    WITHDRAWN = "withdrawn", Conflict
    # RuleViolation
    ASSISTANCE_TOO_LATE = "assistance_too_late", RuleViolation
    EFFECTIVE_DATE_ORDER = "effective_date_order", RuleViolation
    ILLEGAL_STATUS_TRANSITION = "illegal_status_transition", RuleViolation
    INVALID_PERIOD = "invalid_period", RuleViolation
    ITEM_NOT_FOR_SUBJECT = "item_not_for_subject", RuleViolation
    LEGAL_BASIS_REQUIRED = "legal_basis_required", RuleViolation
    MEASURE_NOT_APPLICABLE = "measure_not_applicable", RuleViolation
    NOT_A_NON_PUBLIC_PROVIDER = "not_a_non_public_provider", RuleViolation
    PERIOD_REQUIRED = "period_required", RuleViolation
    RECORD_WITHDRAWN = "record_withdrawn", RuleViolation
    REPAIR_NOT_ELIGIBLE = "repair_not_eligible", RuleViolation
    REPRESENTATIVE_REQUIRED = "representative_required", RuleViolation
    RULE_VIOLATION = "rule_violation", RuleViolation
    SOURCE_KIND_MISMATCH = "source_kind_mismatch", RuleViolation
    STATEMENT_PERIOD_OVER = "statement_period_over", RuleViolation
    STATEMENT_PERIOD_RUNNING = "statement_period_running", RuleViolation
    SUBJECT_TYPE_NOT_LISTED = "subject_type_not_listed", RuleViolation
    CALENDAR_NOT_COVERED = "calendar_not_covered", RuleViolation
    # RateLimited
    DAILY_CAP_REACHED = "daily_cap_reached", RateLimited
    HARVESTING_BLOCKED = "harvesting_blocked", RateLimited
    HARVESTING_SUSPECTED = "harvesting_suspected", RateLimited
    RATE_LIMITED = "rate_limited", RateLimited


def _check_registered(code: str, kind: type[XinyongError]) -> None:
    try:
        entry = ErrorCode(code)
    except ValueError:
        raise ValueError(f"error code {code!r} is not in core.errors.ErrorCode") from None
    if not issubclass(kind, entry.kinds):
        raise ValueError(
            f"error code {code!r} is registered for "
            f"{', '.join(k.__name__ for k in entry.kinds)}, not {kind.__name__}"
        )
