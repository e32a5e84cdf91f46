"""Every audit action tag, in one registry (issue 13 item 5).

A tag is ``context:object:action`` (warehouse's ``source:subject:action``). The audit log
refuses to append an entry whose tag is not a member here, so a new use case adds its tag
first. Stored entries keep the text they were written with (the hash chain covers it): a tag
is never renamed, only added.

Some tags are built from a value at the call site (``inquiry:look:{channel}``,
``lists:procedure:{action}``, ``measures:measure:{status}``, ``catalogue:item:{action}``,
``catalogue:source:{action}``, ``inquiry:purpose:{status}``); each value they can take is a
member below.
"""

from __future__ import annotations

from enum import StrEnum, unique


@unique
class AuditTag(StrEnum):
    # accounts
    ACCOUNTS_ORGANISATION_CREATE = "accounts:organisation:create"
    REPORTS_SPECIAL_REPORT_ISSUE = "reports:special_report:issue"
    WATCHES_WATCH_CREATE = "watches:watch:create"
    WATCHES_WATCH_END = "watches:watch:end"
    ACCOUNTS_USER_ENABLE = "accounts:user:enable"
    ACCOUNTS_USER_DISABLE = "accounts:user:disable"
    ACCOUNTS_USER_PASSWORD_RESET = "accounts:user:password_reset"
    ACCOUNTS_USER_BIND_SUBJECT = "accounts:user:bind_subject"
    ACCOUNTS_USER_AUTHORITY = "accounts:user:authority"
    AUDIT_LOG_VERIFY = "audit:log:verify"
    INQUIRY_BATCH_CHUNK = "inquiry:batch:chunk"
    MEASURES_BATCH_SUBMIT = "measures:batch:submit"
    MEASURES_BATCH_CHUNK = "measures:batch:chunk"
    ACCOUNTS_SECURITY_POLICY_UPDATE = "accounts:security_policy:update"
    ACCOUNTS_SESSION_END = "accounts:session:end"
    ACCOUNTS_SESSION_START = "accounts:session:start"
    ACCOUNTS_TOKEN_ISSUE = "accounts:token:issue"
    ACCOUNTS_TOKEN_REVOKE = "accounts:token:revoke"
    ACCOUNTS_TOTP_CHALLENGE = "accounts:totp:challenge"
    ACCOUNTS_TOTP_DISABLE = "accounts:totp:disable"
    ACCOUNTS_TOTP_DISABLE_REFUSED = "accounts:totp:disable_refused"
    ACCOUNTS_TOTP_ENROL = "accounts:totp:enrol"
    ACCOUNTS_TOTP_RECOVERY_USED = "accounts:totp:recovery_used"
    ACCOUNTS_TOTP_RESET = "accounts:totp:reset"
    ACCOUNTS_TOTP_START = "accounts:totp:start"
    ACCOUNTS_USER_CREATE = "accounts:user:create"
    ACCOUNTS_USER_LOCKED = "accounts:user:locked"
    ACCOUNTS_USER_LOGIN = "accounts:user:login"
    ACCOUNTS_USER_LOGIN_FAILED = "accounts:user:login_failed"
    # audit
    AUDIT_ENTRY_READ = "audit:entry:read"
    # calendar
    CALENDAR_OVERRIDE_CLEAR = "calendar:override:clear"
    CALENDAR_OVERRIDE_SET = "calendar:override:set"
    CALENDAR_YEAR_CONFIGURE = "calendar:year:configure"
    # catalogue
    CATALOGUE_ITEM_DRAFT = "catalogue:item:draft"
    CATALOGUE_ITEM_OPEN_COMMENT = "catalogue:item:open_comment"
    CATALOGUE_ITEM_PUBLISH = "catalogue:item:publish"
    CATALOGUE_ITEM_REPORT = "catalogue:item:report"
    CATALOGUE_OPINION_RECORD = "catalogue:opinion:record"
    CATALOGUE_SOURCE_END = "catalogue:source:end"
    CATALOGUE_SOURCE_REGISTER = "catalogue:source:register"
    # documents
    DOCUMENTS_DOCUMENT_ISSUE = "documents:document:issue"
    # feed
    FEED_RECORDS_EXPORT = "feed:records:export"
    FEED_WEBHOOK_CREATE = "feed:webhook:create"
    FEED_WEBHOOK_DISPATCH = "feed:webhook:dispatch"
    FEED_WEBHOOK_QUEUE = "feed:webhook:queue"
    # inquiry
    INQUIRY_CAP_SET = "inquiry:cap:set"
    INQUIRY_CONSENT_GRANT = "inquiry:consent:grant"
    INQUIRY_CONSENT_REVOKE = "inquiry:consent:revoke"
    INQUIRY_INQUIRY_ANSWER = "inquiry:inquiry:answer"
    INQUIRY_INQUIRY_REFUSE = "inquiry:inquiry:refuse"
    INQUIRY_LOG_EXPORT = "inquiry:log:export"
    INQUIRY_LOG_READ = "inquiry:log:read"
    INQUIRY_LOOK_EXPORT = "inquiry:look:export"
    INQUIRY_LOOK_FEED = "inquiry:look:feed"
    INQUIRY_LOOK_LIST_PROCEDURE = "inquiry:look:list_procedure"
    INQUIRY_LOOK_RECORD = "inquiry:look:record"
    INQUIRY_PURPOSE_DRAFT = "inquiry:purpose:draft"
    INQUIRY_PURPOSE_PUBLISHED = "inquiry:purpose:published"
    INQUIRY_PURPOSE_RETIRED = "inquiry:purpose:retired"
    # institutions
    INSTITUTIONS_FILING_CREATE = "institutions:filing:create"
    INSTITUTIONS_FILING_STATUS = "institutions:filing:status"
    INSTITUTIONS_SUPERVISION_RECORD = "institutions:supervision:record"
    # lists
    LISTS_ENTRY_END = "lists:entry:end"
    LISTS_ENTRY_REMOVE = "lists:entry:remove"
    LISTS_PROCEDURE_ANSWER = "lists:procedure:answer"
    LISTS_PROCEDURE_DECIDE = "lists:procedure:decide"
    LISTS_PROCEDURE_DROP = "lists:procedure:drop"
    LISTS_PROCEDURE_NOTIFY = "lists:procedure:notify"
    LISTS_PROCEDURE_OBJECT = "lists:procedure:object"
    LISTS_PROCEDURE_PROPOSE = "lists:procedure:propose"
    LISTS_PROCEDURE_PUBLISH = "lists:procedure:publish"
    LISTS_PROCEDURE_SERVE = "lists:procedure:serve"
    LISTS_RED_LIST_ADOPT = "lists:red_list:adopt"
    LISTS_RED_LIST_PUBLISH = "lists:red_list:publish"
    LISTS_STATEMENT_RECORD = "lists:statement:record"
    # measures
    MEASURES_CHECK_RUN = "measures:check:run"
    MEASURES_COMMITMENT_BREACH = "measures:commitment:breach"
    MEASURES_COMMITMENT_FULFIL = "measures:commitment:fulfil"
    MEASURES_COMMITMENT_RECORD = "measures:commitment:record"
    MEASURES_MEASURE_ANSWER = "measures:measure:answer"
    MEASURES_MEASURE_APPLY = "measures:measure:apply"
    MEASURES_MEASURE_DECIDE = "measures:measure:decide"
    MEASURES_MEASURE_DRAFT = "measures:measure:draft"
    MEASURES_MEASURE_LIFT = "measures:measure:lift"
    MEASURES_MEASURE_PUBLIC_COMMENT = "measures:measure:public_comment"
    MEASURES_MEASURE_PUBLISH = "measures:measure:publish"
    MEASURES_MEASURE_REPORTED = "measures:measure:reported"
    MEASURES_MEASURE_STATEMENT = "measures:measure:statement"
    MEASURES_OPINION_RECORD = "measures:opinion:record"
    MEASURES_SPOT_CHECK_DRAW = "measures:spot_check:draw"
    # objections
    OBJECTIONS_CORRECTION_DISCOVER = "objections:correction:discover"
    OBJECTIONS_CORRECTION_ESCALATE = "objections:correction:escalate"
    OBJECTIONS_CORRECTION_FULFIL = "objections:correction:fulfil"
    OBJECTIONS_CORRECTION_REVOCATION_NOTICE = "objections:correction:revocation_notice"
    OBJECTIONS_OBJECTION_ASSISTANCE = "objections:objection:assistance"
    OBJECTIONS_OBJECTION_DECIDE = "objections:objection:decide"
    OBJECTIONS_OBJECTION_ESCALATE = "objections:objection:escalate"
    OBJECTIONS_OBJECTION_FILE = "objections:objection:file"
    # records
    RECORDS_AGREEMENT_CREATE = "records:agreement:create"
    RECORDS_BATCH_CHUNK = "records:batch:chunk"
    RECORDS_BATCH_COMPLETE = "records:batch:complete"
    RECORDS_BATCH_OPEN = "records:batch:open"
    RECORDS_RECORD_AMEND = "records:record:amend"
    RECORDS_RECORD_CREATE = "records:record:create"
    RECORDS_RECORD_DELETE_ATTEMPTED = "records:record:delete_attempted"
    RECORDS_RECORD_WITHDRAW = "records:record:withdraw"
    # repair
    REPAIR_APPLICATION_DECIDE = "repair:application:decide"
    REPAIR_APPLICATION_ESCALATE = "repair:application:escalate"
    REPAIR_APPLICATION_FILE = "repair:application:file"
    # reports
    REPORTS_REPORT_ISSUE = "reports:report:issue"
    # subjects
    SUBJECTS_REPRESENTATIVE_LINK = "subjects:representative:link"
    SUBJECTS_SUBJECT_BULK_CREATE = "subjects:subject:bulk_create"
    SUBJECTS_SUBJECT_CREATE = "subjects:subject:create"
    SUBJECTS_SUBJECT_RENAME = "subjects:subject:rename"
    SUBJECTS_USCC_ALLOWLIST_ADD = "subjects:uscc_allowlist:add"
    # violations
    VIOLATIONS_VIOLATION_REGISTER = "violations:violation:register"
