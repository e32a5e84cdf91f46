"""Case handling shared by objections (Art. 32), provider corrections (Art. 33, 34) and credit
repair (Art. 36): who may see and decide a case (``access``), its deadline and whether it is
overdue (``access.days_left``; the law's periods stay in each context's ``rules``), the
listings and the overdue query (``store``), and escalation to the credit office
(``escalation``: one job, parameterised by each context's :class:`~.escalation.Escalation`).

Each context keeps only what is its own law: its periods, outcomes and reasons, its notices'
wording, its marks. ``handling`` sits below ``objections`` and ``repair`` and imports neither.
"""
