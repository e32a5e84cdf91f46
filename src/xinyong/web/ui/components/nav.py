"""The navigation as data: each entry is (group, label, path, roles).

The header shows, for the actor's role, the entries that admit it, grouped in a few menus by
task; the browser crawl (tests/e2e/ui/test_crawl.py) follows the same list, so a new desk is
crawled as soon as it has an entry. To add a page: append a ``NavEntry`` here.

Labels are English msgids, translated when the header renders (web/locale).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fastapi import Request
from fastapi.routing import iter_route_contexts

from xinyong.core.actor import Role
from xinyong.web.pages import templates

EVERYONE = frozenset(Role)
SUBJECT = frozenset({Role.SUBJECT})
PROVIDER = frozenset({Role.PROVIDER})
OFFICE = frozenset({Role.CREDIT_OFFICE})
QUERY = frozenset({Role.INQUIRER, Role.INSTITUTION})
HANDLERS = frozenset({Role.PROVIDER, Role.CREDIT_OFFICE})
STAFF_2FA = frozenset({Role.CREDIT_OFFICE, Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})


def _(message: str) -> str:
    """Marks a msgid for extraction; the header translates it at render time."""
    return message


@dataclass(frozen=True, slots=True)
class NavEntry:
    group: str
    label: str
    path: str
    roles: frozenset[Role]


#: Menus in the order shown. "Public" serves everyone, including the anonymous visitor.
GROUPS: tuple[str, ...] = (
    _("Public information"),
    _("My credit"),
    _("Records"),
    _("Cases and lists"),
    _("Inquiry"),
    _("Supervision"),
    _("Administration"),
    _("Account"),
)

NAV: list[NavEntry] = [
    # Public information: what anyone may read or check (Art. 15-16).
    NavEntry(_("Public information"), _("Credit search"), "/public/search", EVERYONE),
    NavEntry(_("Public information"), _("Red list"), "/red-list", EVERYONE),
    NavEntry(_("Public information"), _("Credit lists"), "/public/lists", EVERYONE),
    NavEntry(_("Public information"), _("Catalogue"), "/catalogue", EVERYONE),
    NavEntry(_("Public information"), _("Inquiry purposes"), "/purposes", EVERYONE),
    NavEntry(
        _("Public information"),
        _("Credit service institutions register"),
        "/institutions",
        EVERYONE,
    ),
    NavEntry(_("Public information"), _("Verify a report"), "/reports/verify", EVERYONE),
    NavEntry(_("Public information"), _("Open data"), "/public/open-data", EVERYONE),
    NavEntry(_("Public information"), _("Identifier check"), "/tools/identifier-check", EVERYONE),
    NavEntry(_("Public information"), _("Working-day calculator"), "/tools/deadline", EVERYONE),
    # The subject's own credit (Art. 31-36).
    NavEntry(_("My credit"), _("My credit"), "/me/credit", SUBJECT),
    NavEntry(_("My credit"), _("Who looked at my information"), "/me/inquiries", SUBJECT),
    NavEntry(_("My credit"), _("My consents"), "/me/consents", SUBJECT),
    NavEntry(_("My credit"), _("My objections"), "/me/objections", SUBJECT),
    NavEntry(_("My credit"), _("My repairs"), "/me/repairs", SUBJECT),
    NavEntry(_("My credit"), _("My list entries"), "/me/lists", SUBJECT),
    NavEntry(_("My credit"), _("My measures"), "/me/measures", SUBJECT),
    NavEntry(_("My credit"), _("Special credit report"), "/me/special-report", SUBJECT),
    # Records: delivery and upkeep (Art. 12-14).
    NavEntry(_("Records"), _("Provider desk"), "/provider", PROVIDER),
    NavEntry(_("Records"), _("Deliver records"), "/provider/deliver", PROVIDER),
    NavEntry(_("Records"), _("My records"), "/provider/records", PROVIDER),
    NavEntry(_("Records"), _("My delivery timeliness"), "/provider/timeliness", PROVIDER),
    NavEntry(_("Records"), _("Catalogue lifecycle"), "/office/catalogue", OFFICE),
    NavEntry(_("Records"), _("Delivery agreements"), "/office/agreements", OFFICE),
    # Cases and lists: objections and repairs to handle (Art. 33-36), lists (Art. 21-30).
    NavEntry(_("Cases and lists"), _("Objections to handle"), "/objections", HANDLERS),
    NavEntry(_("Cases and lists"), _("Repairs to handle"), "/provider/repairs", HANDLERS),
    NavEntry(_("Cases and lists"), _("Serious dishonesty list"), "/lists", OFFICE),
    NavEntry(_("Cases and lists"), _("Measure lists"), "/office/measures", OFFICE),
    # Inquiry (Art. 17-20, 38).
    NavEntry(_("Inquiry"), _("Query a subject"), "/inquiry", QUERY),
    NavEntry(_("Inquiry"), _("Credit check"), "/checks", frozenset({Role.INQUIRER})),
    NavEntry(_("Inquiry"), _("Batch check"), "/checks/batches", QUERY),
    NavEntry(_("Inquiry"), _("Watched subjects"), "/watches", QUERY),
    NavEntry(_("Supervision"), _("Inquiry purposes and caps"), "/office/inquiry-settings", OFFICE),
    # Supervision (Art. 44-45).
    NavEntry(_("Supervision"), _("Credit office"), "/office", OFFICE),
    NavEntry(_("Supervision"), _("Dashboard"), "/office/dashboard", OFFICE),
    NavEntry(_("Supervision"), _("Supervision of providers"), "/office/supervision", OFFICE),
    NavEntry(_("Supervision"), _("Spot checks"), "/office/spot-checks", OFFICE),
    NavEntry(_("Supervision"), _("Violation register"), "/office/violations", OFFICE),
    NavEntry(_("Supervision"), _("Credit service institutions"), "/office/institutions", OFFICE),
    NavEntry(_("Supervision"), _("Audit log"), "/audit", frozenset({Role.AUDITOR})),
    NavEntry(
        _("Supervision"),
        _("Checkpoints and verification"),
        "/audit/checkpoints",
        frozenset({Role.AUDITOR}),
    ),
    NavEntry(_("Supervision"), _("Inquiry log"), "/audit/inquiries", frozenset({Role.AUDITOR})),
    NavEntry(_("Administration"), _("Accounts"), "/admin/users", frozenset({Role.SYSADMIN})),
    NavEntry(
        _("Administration"), _("Organisations"), "/admin/organisations", frozenset({Role.SYSADMIN})
    ),
    NavEntry(_("Records"), _("Enter one record"), "/provider/records/new", PROVIDER),
    # Administration (PLT-1).
    NavEntry(_("Administration"), _("Security policy"), "/security", frozenset({Role.SECADMIN})),
    # The account itself.
    NavEntry(
        _("Account"),
        _("Inbox"),
        "/me/inbox",
        frozenset({Role.SUBJECT, Role.PROVIDER, Role.CREDIT_OFFICE}),
    ),
    NavEntry(_("Account"), _("Two-step verification"), "/account/two-step", STAFF_2FA),
    # The credit office's supervision desks (issue 14 item 2).
    NavEntry(_("Supervision"), _("Credit grades"), "/office/grades", OFFICE),
    NavEntry(_("Supervision"), _("Working-day calendar"), "/office/calendar", OFFICE),
]


@dataclass(frozen=True, slots=True)
class NavGroup:
    label: str
    entries: list[NavEntry]
    #: The entry of this group that is the page shown (None: another group's, or none).
    current_path: str | None = None

    @property
    def current(self) -> bool:
        return self.current_path is not None


def nav_for(
    role: Role | None, *, current: str = "", entries: Iterable[NavEntry] | None = None
) -> list[NavGroup]:
    """The menus a role sees, in ``GROUPS`` order (``None``: the anonymous visitor), with the
    one entry of the page at ``current`` marked: the longest path that is it or a prefix of it
    (``/office/dashboard`` is the dashboard, not ``/office``)."""
    listed = NAV if entries is None else list(entries)
    admitted = [e for e in listed if (role or Role.PUBLIC) in e.roles]
    here = _current(admitted, current)
    groups: list[NavGroup] = []
    for name in GROUPS + tuple(sorted({e.group for e in admitted} - set(GROUPS))):
        shown = [e for e in admitted if e.group == name]
        if shown:
            mine = here if here in {e.path for e in shown} else None
            groups.append(NavGroup(name, shown, mine))
    return groups


def _current(entries: list[NavEntry], path: str) -> str | None:
    matches = [e.path for e in entries if path == e.path or path.startswith(e.path + "/")]
    return max(matches, key=len, default=None)


def paths_for(role: Role | None) -> list[str]:
    """Every navigation path of a role, in menu order (what the crawl visits)."""
    return [e.path for g in nav_for(role) for e in g.entries]


def header_menus(request: Request, role: Role | None) -> list[NavGroup]:
    """The header's menus on this server: only entries whose page this app serves (the public
    server, ``serve --public``, serves a few of the public pages and nothing else)."""
    served: frozenset[str] | None = getattr(request.app.state, "nav_served", None)
    if served is None:
        served = frozenset(
            c.path
            for c in iter_route_contexts(request.app.routes)
            if c.path and "GET" in (c.methods or ())
        )
        request.app.state.nav_served = served
    shown = [e for e in NAV if e.path in served]
    return nav_for(role, current=request.url.path, entries=shown)


# The header (templates/partials/nav.html) asks for the actor's menus.
templates.env.globals["nav_menus"] = nav_for
templates.env.globals["header_menus"] = header_menus
