"""List tables (and those of the contexts a procedure writes to) in the test schema."""

import xinyong.documents.models
import xinyong.feed.models
import xinyong.lists.models
import xinyong.records.models  # noqa: F401
