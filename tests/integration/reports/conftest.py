"""The reports context's tables (and those it reads) are imported at collection time, so the
session-wide ``engine`` creates them (until they are listed in ``xinyong.db.registry``)."""

import xinyong.disclosure.models
import xinyong.records.models
import xinyong.reports.models  # noqa: F401
