"""Page words for the platform's stable codes (StrEnum values), per vocabulary: what the
``term`` macro (``partials/vocabulary.html``) shows, in the page's language.

The same code can mean different things ("public" publicity vs. "public" as a source of
opinions), hence the vocabulary name. Words are marked with ``N_`` (extracted by ``pybabel``,
translated when shown); a code without a word here takes its label in ``core.labels``, and an
unknown code is shown as it is.
"""

from __future__ import annotations

from jinja2 import Undefined

from xinyong.core import labels
from xinyong.web import i18n


def N_(message: str) -> str:
    """Marks a message for extraction; translated where it is shown."""
    return message


_TERMS: dict[str, dict[str, str]] = {
    "role": {
        "public": N_("Member of the public"),
        "subject": N_("Credit subject"),
        "provider": N_("Information provider"),
        "inquirer": N_("State organ inquirer"),
        "institution": N_("Credit service institution"),
        "credit_office": N_("Credit office"),
        "sysadmin": N_("System administrator"),
        "secadmin": N_("Security administrator"),
        "auditor": N_("Security auditor"),
    },
    "subject_type": {
        "natural_person": N_("Natural person"),
        "legal_person": N_("Legal person"),
        "unincorporated_org": N_("Unincorporated organisation"),
        "state_organ": N_("State organ"),
    },
    "representative_role": {
        "legal_representative": N_("Legal representative"),
        "responsible_person": N_("Responsible person"),
    },
    "tier": {
        "national": N_("National basic catalogue"),
        "local": N_("Local supplementary catalogue"),
    },
    "version_status": {
        "draft": N_("Draft"),
        "public_comment": N_("Public comment"),
        "reported": N_("Reported to the higher authority"),
        "published": N_("Published"),
        "superseded": N_("Superseded"),
    },
    "publicity": {
        "public": N_("Public"),
        "shared": N_("Shared with government"),
        "authorized": N_("Authorised inquiry only"),
    },
    "polarity": {
        "positive": N_("Positive"),
        "neutral": N_("Neutral"),
        "negative": N_("Negative"),
    },
    "severity": {
        "minor": N_("Minor dishonesty"),
        "general": N_("General dishonesty"),
        "serious": N_("Serious dishonesty"),
    },
    "update_frequency": {
        "daily": N_("Daily"),
        "weekly": N_("Weekly"),
        "monthly": N_("Monthly"),
        "quarterly": N_("Quarterly"),
        "yearly": N_("Yearly"),
        "on_event": N_("When it occurs"),
    },
    "field_type": {
        "string": N_("Text"),
        "date": N_("Date"),
        "decimal": N_("Decimal number"),
        "integer": N_("Whole number"),
        "enum": N_("One of a list"),
        "identifier": N_("Identifier"),
        "boolean": N_("Yes or no"),
    },
    "field_disclosure": {
        "public": N_("Public"),
        "government": N_("Government only"),
        "privacy": N_("Personal privacy"),
        "trade_secret": N_("Trade secret"),
    },
    "opinion_source": {
        "locality": N_("Locality"),
        "department": N_("Department"),
        "market_entity": N_("Market entity"),
        "association": N_("Industry association"),
        "expert": N_("Expert"),
        "public": N_("Member of the public"),
    },
}


def term_label(vocabulary: str, value: object) -> str:
    """The word for ``value`` of ``vocabulary`` in the active language."""
    if value is None or isinstance(value, Undefined):  # nothing to name, as the macro was
        return ""
    code = str(getattr(value, "value", value))
    message = _TERMS.get(vocabulary, {}).get(code)
    if message:
        return i18n.gettext_active(message)
    return labels.label(vocabulary, code, i18n.active_language().code)
