"""The page layer's components: a new desk is a list of these (docs/architecture.md, "Pages").

- ``actor``: ``PageGate`` — a dependency that admits the roles of a page, else answers with
  the login redirect (the public) or the 403 page (another role); no page checks roles itself.
- ``table``: ``TableSpec``/``TableQuery`` — one parse of a table's filters, sort, order and
  page, shared by the page and its CSV twin; a bad value is shown beside its field, never
  answered with a 422.
- ``forms``: ``PostedForm`` (the CSRF-checked fields of a POST), ``Problem`` and
  ``render_form`` (a refused form shown again, its status the problem's), ``form_route`` (the
  POST of a page's form written once: act, then 303 on, a confirmation page, or the page again),
  ``FormPage`` (the page of one object and the forms below it: the GET, and every refused form
  drawing that page again).
- ``nav``: ``NAV`` — the navigation as data (group, label, path, roles); a desk adds its
  entries by appending to that one list, and the browser crawl follows them.
- Jinja macros in ``templates/partials/components.html``: ``confirm`` (the confirmation step
  of every irreversible action, with its reason), ``deadline`` (a due date as a badge: working
  days left, overdue in red), ``empty`` (what an empty table says and what to do next); in
  ``templates/partials/forms.html``: ``field`` (a labelled input) and ``labelled`` (a field
  whose control — a select, a textarea — is the call's body).
- ``invalid_input``: a form a schema refused, as the ``InvalidInput`` its page shows.
"""

from xinyong.web.ui.components.actor import PageGate, page_gate
from xinyong.web.ui.components.forms import (
    FormPage,
    Posted,
    PostedForm,
    Problem,
    form_route,
    invalid_input,
    problem_of,
    render_form,
)
from xinyong.web.ui.components.nav import NAV, NavEntry, nav_for
from xinyong.web.ui.components.table import TableQuery, TableSpec

__all__ = [
    "NAV",
    "FormPage",
    "NavEntry",
    "PageGate",
    "Posted",
    "PostedForm",
    "Problem",
    "TableQuery",
    "TableSpec",
    "form_route",
    "invalid_input",
    "nav_for",
    "page_gate",
    "problem_of",
    "render_form",
]
