"""Tables of the inquiry and violations contexts exist in the test schema (until both are
listed in ``xinyong.db.registry``)."""

import xinyong.disclosure.models
import xinyong.inquiry.models
import xinyong.records.models
import xinyong.violations.models  # noqa: F401
