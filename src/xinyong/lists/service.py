"""Use cases of the serious dishonesty list procedure (Art. 25–27, 29; LST-1…3).

proposed → notified → statement_period → (objection_filed → objection_answered) → decided →
served → published → ended, or dropped before the decision. Each use case: authorise → load →
rules (the transition table) → persist the step with its instant and deadline → document →
audit, one commit. Objections against a procedure step are kept in the procedure (a
``ListStatement`` answered by the credit office with a written answer, Art. 26 ¶1): the
objections context handles objections against *records* (Art. 32), which an entry becomes only
once it is published.

Entries, early removal and the red list are in ``entries`` and ``redlist``; re-exported here
so other contexts import one module.
"""

from xinyong.lists.decision import decide, publish_entry, record_service
from xinyong.lists.entries import (
    active_entries,
    close_ended_entries,
    disciplinary_until,
    end_entries_resting_on,
    end_entry_early,
    entry_ended_clause,
    list_entries,
    my_lists,
    procedures_for_subject,
    red_list_in_force_clause,
    remove_entry,
)
from xinyong.lists.hearing import answer_objection, file_procedure_objection, record_statement
from xinyong.lists.proposal import (
    drop_procedure,
    get_procedure,
    list_procedures,
    propose,
    send_prior_notice,
)
from xinyong.lists.redlist import adopt_red_list_entry, public_red_list, publish_red_list_entry

__all__ = [
    "active_entries",
    "adopt_red_list_entry",
    "answer_objection",
    "close_ended_entries",
    "decide",
    "disciplinary_until",
    "drop_procedure",
    "end_entries_resting_on",
    "end_entry_early",
    "entry_ended_clause",
    "file_procedure_objection",
    "get_procedure",
    "list_entries",
    "list_procedures",
    "my_lists",
    "procedures_for_subject",
    "propose",
    "public_red_list",
    "publish_entry",
    "publish_red_list_entry",
    "record_service",
    "record_statement",
    "red_list_in_force_clause",
    "remove_entry",
    "send_prior_notice",
]
