"""Who may reach each endpoint: the one table the access matrix checks every route against.

Adding a route: give its endpoint an entry in ``TABLE`` (a profile, or ``Expect`` when the
route differs from a profile) and, if it names a new URL argument, teach ``ARGUMENTS`` which
object of enterprise A it stands for (and ``MISSING`` how to name one that does not exist).

A profile says what each role gets when it requests the route with enterprise A's objects.
Objects of another enterprise, or outside a regulator's region, answer 404 exactly like
missing ones: that is what the ``*_OWN`` and ``*_IN_REGION`` profiles encode, and the matrix
also checks that such a 404 page is the very page a nonexistent id gets.

For POST, a profile's refusals (LOGIN, 403, 404) are checked as such and must change nothing
in the database; ``OK`` means "allowed": anything but a refusal or a server error.
A route that only accepts POST answers 405 to GET for everybody; the matrix knows that.
"""

from dataclasses import dataclass, field

from suyuan.identity import code_key

#: A file the print-run pages load (labels.static).
LABELS_ASSET = "labels/labels.css"

ROLES = (
    "anonymous",
    "recorder_a",
    "admin_a",
    "recorder_b",
    "admin_b",
    "regulator_a",  # provincial regulator of A's province (Gansu)
    "regulator_other",  # provincial regulator of another province (Zhejiang)
    "national",
    "platform_admin",
)

OK = 200
LOGIN = "login"  # a redirect to the sign-in page


def row(*statuses) -> dict:
    assert len(statuses) == len(ROLES), statuses
    return dict(zip(ROLES, statuses, strict=True))


# fmt: off
#                              anon   rec A  adm A  rec B  adm B  reg A  reg X  nat    plat
PUBLIC               = row(OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK)   # noqa: E221,E501
SIGNED_IN            = row(LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK)   # noqa: E221,E501
MEMBER               = row(LOGIN, OK,    OK,    OK,    OK,    403,   403,   403,   403)  # noqa: E221,E501
MEMBER_OWN           = row(LOGIN, OK,    OK,    404,   404,   403,   403,   403,   403)  # noqa: E221,E501
RECORDER             = row(LOGIN, OK,    403,   OK,    403,   403,   403,   403,   403)  # noqa: E221,E501
RECORDER_OWN         = row(LOGIN, OK,    403,   404,   403,   403,   403,   403,   403)  # noqa: E221,E501
ENTERPRISE_ADMIN     = row(LOGIN, 403,   OK,    403,   OK,    403,   403,   403,   403)  # noqa: E221,E501
ENTERPRISE_ADMIN_OWN = row(LOGIN, 403,   OK,    403,   404,   403,   403,   403,   403)  # noqa: E221,E501
REGULATOR            = row(LOGIN, 403,   403,   403,   403,   OK,    OK,    OK,    403)  # noqa: E221,E501
REGULATOR_IN_REGION  = row(LOGIN, 403,   403,   403,   403,   OK,    404,   OK,    403)  # noqa: E221,E501
CONSOLE              = row(LOGIN, 403,   403,   403,   403,   OK,    OK,    OK,    OK)   # noqa: E221,E501
PLATFORM_ADMIN       = row(LOGIN, 403,   403,   403,   403,   403,   403,   403,   OK)   # noqa: E221,E501
# A's object, reached by any signed-in person; whoever is not a member of A gets 404.
CODE_OWNER           = row(LOGIN, OK,    OK,    404,   404,   404,   404,   404,   404)  # noqa: E221,E501
# A bearer-token API route requested with a session cookie only: unauthenticated for all.
TOKEN_ONLY           = dict.fromkeys(ROLES, 401)  # noqa: E221
# fmt: on


def cells(profile: dict, **changes) -> dict:
    """``profile`` with some roles' answers changed (a route that legitimately differs)."""
    unknown = set(changes) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {**profile, **changes}


@dataclass(frozen=True)
class Expect:
    """An entry that needs more than a profile.

    ``post``: the profile for POST (and other unsafe methods) when it differs from GET's.
    ``args``: URL arguments taken from another named value than the default (see
    ``ARGUMENTS``). ``query``: query-string parameters, each naming a value of ``ARGUMENTS``.
    ``data``: form data to send (empty by default); ``json``: a JSON body instead.
    ``csrf``: False for a route that authenticates each request by a token instead of a
    session cookie (an API), so the CSRF check does not apply."""

    profile: dict
    post: dict | None = None
    args: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    json: dict | None = None
    csrf: bool = True


def api(profile: dict) -> dict:
    """``profile`` for a JSON API route: not signed in answers 401 instead of a redirect."""
    return {role: 401 if status == LOGIN else status for role, status in profile.items()}


TABLE = {
    # Public query, help and static files
    "static": PUBLIC,
    "query.index": PUBLIC,
    "query.lookup": cells(PUBLIC, **dict.fromkeys(ROLES, 302)),  # no code: back to the start
    "query.scan": PUBLIC,
    "query.file": PUBLIC,  # A's attachment is published; unpublished files are test_visibility's
    "query.help_index": PUBLIC,
    "query.help_guide": PUBLIC,
    # Accounts
    "auth.login": PUBLIC,
    "auth.register": PUBLIC,
    "auth.logout": cells(SIGNED_IN, **dict.fromkeys(ROLES[1:], 302)),  # signed out: to login
    "auth.switch_role": SIGNED_IN,
    # Portal: overview, catalogue, enterprise
    "portal.index": MEMBER,
    "portal.enterprise_profile": Expect(MEMBER, post=ENTERPRISE_ADMIN),
    "portal.enterprise_profile_member_new": ENTERPRISE_ADMIN,
    "portal.enterprise_profile_member_role": ENTERPRISE_ADMIN_OWN,
    "portal.areas": MEMBER,
    "portal.areas_new": MEMBER,
    "portal.areas_edit": MEMBER_OWN,
    "portal.areas_delete": MEMBER_OWN,
    "portal.products": MEMBER,
    "portal.products_new": MEMBER,
    "portal.products_detail": MEMBER_OWN,
    "portal.products_edit": MEMBER_OWN,
    "portal.products_delete": MEMBER_OWN,
    "portal.products_image_upload": MEMBER_OWN,
    "portal.products_image_delete": MEMBER_OWN,
    "portal.product_image": MEMBER_OWN,
    "portal.filings": MEMBER,
    "portal.filings_detail": MEMBER_OWN,
    "portal.filings_submit": ENTERPRISE_ADMIN_OWN,
    # Portal: batches, stage records, attachments
    "portal.batches": MEMBER,
    "portal.batch_new": RECORDER,
    "portal.batch_detail": MEMBER_OWN,
    "portal.batch_edit": RECORDER_OWN,
    "portal.record_new": RECORDER_OWN,
    "portal.record_detail": MEMBER_OWN,
    "portal.record_history": MEMBER_OWN,
    "portal.record_edit": Expect(RECORDER_OWN, args={"record_id": "draft_record_id"}),
    "portal.record_submit": Expect(RECORDER_OWN, args={"record_id": "draft_record_id"}),
    "portal.record_delete": Expect(RECORDER_OWN, args={"record_id": "draft_record_id"}),
    "portal.record_correct": RECORDER_OWN,
    "portal.attachment": MEMBER_OWN,
    # Portal: identity codes
    "portal.codes": MEMBER,
    "portal.batch_codes": MEMBER_OWN,
    "portal.batch_codes_bind": RECORDER_OWN,
    "portal.batch_codes_release": RECORDER_OWN,
    "portal.batch_codes_void": RECORDER_OWN,
    "labels.code_qr": CODE_OWNER,
    # Portal: publication (查询管理)
    "portal.publication": ENTERPRISE_ADMIN,
    "portal.publication_batch": ENTERPRISE_ADMIN_OWN,
    "portal.publication_toggle": ENTERPRISE_ADMIN_OWN,
    "portal.publication_batch_records": ENTERPRISE_ADMIN_OWN,
    "portal.publication_log": ENTERPRISE_ADMIN,
    # A's code as the public would see it; another enterprise's code is "not yours" (404).
    "portal.preview": Expect(MEMBER_OWN, query={"code": "code"}),
    # Portal: spreadsheets (the import's kind decides the role; templates and exports are
    # readable by every member)
    "portal.imports": MEMBER,
    "portal.import_upload": MEMBER,
    "portal.import_detail": MEMBER_OWN,
    "portal.import_report": MEMBER_OWN,
    "portal.import_template": MEMBER,
    "portal.export_list": MEMBER,
    # Public: GS1 Digital Link resolver, EPCIS, consumer reports
    "query.digital_link": PUBLIC,  # A's published product and lot, by GTIN
    "query.gs1resolver": PUBLIC,
    "query.scan_epcis": PUBLIC,
    "query.report": PUBLIC,
    "query.share_scan_region": PUBLIC,
    "query.feedback_status": PUBLIC,
    # REST API: bearer tokens only, so every cookie-signed-in role is unauthenticated (401);
    # tests/api checks each token's enterprise, region and permission scoping.
    "api-docs.openapi_json": PUBLIC,
    "api_docs.docs": PUBLIC,
    **dict.fromkeys(
        (
            "api_batches.create_batch",
            "api_batches.get_batch",
            "api_batches.list_batches",
            "api_batches.update_batch",
            "api_codes.batch_ranges",
            "api_codes.bind_range",
            "api_codes.list_pools",
            "api_codes.list_ranges",
            "api_codes.release_range",
            "api_codes.void_range",
            "api_enterprise.get_enterprise",
            "api_enterprise.update_enterprise",
            "api_products.create_product",
            "api_products.delete_product",
            "api_products.get_product",
            "api_products.list_products",
            "api_products.update_product",
            "api_publication.set_batch_records_public",
            "api_publication.set_item_public",
            "api_records.add_attachment",
            "api_records.correct_record",
            "api_records.create_record",
            "api_records.delete_record",
            "api_records.get_record",
            "api_records.list_records",
            "api_records.record_history",
            "api_records.submit_record",
            "api_records.update_record",
            "api_regulator.get_batch_chain",
            "api_regulator.get_enterprise",
            "api_regulator.get_filing",
            "api_regulator.get_product",
            "api_regulator.list_batches",
            "api_regulator.list_enterprises",
            "api_regulator.list_filings",
            "api_regulator.list_products",
            "api_counterparties.create_counterparty",
            "api_counterparties.disable_counterparty",
            "api_counterparties.enable_counterparty",
            "api_counterparties.get_counterparty",
            "api_counterparties.list_counterparties",
            "api_counterparties.update_counterparty",
            "api_nonconformance.change_status",
            "api_nonconformance.get_nonconformance",
            "api_nonconformance.list_nonconformance",
            "api_nonconformance.record_nonconformance",
            "api_recalls.acknowledge_notice",
            "api_recalls.advance_recall",
            "api_recalls.declare_recall",
            "api_recalls.get_notice",
            "api_recalls.get_recall",
            "api_recalls.list_notices",
            "api_recalls.list_recalls",
            "api_regulator_recalls.get_nonconformance",
            "api_regulator_recalls.get_recall",
            "api_regulator_recalls.list_nonconformance",
            "api_regulator_recalls.list_recalls",
            "api_stock.list_stock",
            "api_transactions.confirm_transaction",
            "api_transactions.correct_transaction",
            "api_transactions.create_transaction",
            "api_transactions.delete_transaction",
            "api_transactions.dispute_transaction",
            "api_transactions.get_transaction",
            "api_transactions.list_transactions",
            "api_transactions.submit_transaction",
            "api_transactions.transaction_history",
            "api_transactions.update_transaction",
        ),
        Expect(TOKEN_ONLY, csrf=False),
    ),
    # Portal: print runs (labels)
    "labels.static": Expect(PUBLIC, args={"filename": "labels_asset"}),
    "labels.batch_print": MEMBER_OWN,
    "labels.batch_preview": MEMBER_OWN,
    "labels.pool_print": MEMBER_OWN,
    "labels.pool_preview": MEMBER_OWN,
    "labels.runs": MEMBER,
    "labels.run_detail": Expect(MEMBER_OWN, args={"run_id": "print_run_id"}),
    "labels.run_status": Expect(api(MEMBER_OWN), args={"run_id": "print_run_id"}),
    # A queued run has nothing to download yet: its members get 409, not the file.
    "labels.run_download": Expect(
        cells(MEMBER_OWN, recorder_a=409, admin_a=409), args={"run_id": "print_run_id"}
    ),
    "labels.run_retry": Expect(MEMBER_OWN, args={"run_id": "print_run_id"}),
    # Portal: goods flow (counterparties, documents, stock, mismatches, trace, drills)
    "portal.counterparties": MEMBER,
    "portal.counterparty_new": MEMBER,
    "portal.counterparty_edit": MEMBER_OWN,
    "portal.counterparty_status": MEMBER_OWN,
    "portal.transactions": MEMBER,
    "portal.transaction_new": RECORDER,
    "portal.transaction_detail": MEMBER_OWN,
    "portal.transaction_edit": Expect(
        RECORDER_OWN, args={"transaction_id": "draft_transaction_id"}
    ),
    "portal.transaction_submit": Expect(
        RECORDER_OWN, args={"transaction_id": "draft_transaction_id"}
    ),
    "portal.transaction_delete": Expect(
        RECORDER_OWN, args={"transaction_id": "draft_transaction_id"}
    ),
    "portal.transaction_dispute": RECORDER_OWN,
    "portal.transaction_correct": RECORDER_OWN,
    "portal.stock": MEMBER,
    "portal.stock_export": MEMBER,
    "portal.mismatches_page": MEMBER,
    "portal.mismatches_export": MEMBER,
    "portal.trace": MEMBER_OWN,
    "portal.trace_export": MEMBER_OWN,
    "portal.trace_drill": ENTERPRISE_ADMIN_OWN,
    "portal.drills": MEMBER,
    "portal.batch_epcis": api(MEMBER_OWN),
    # Portal: recalls, non-conformance, notices, agency
    "portal.recalls": MEMBER,
    "portal.recalls_export": MEMBER,
    "portal.recalls_new": ENTERPRISE_ADMIN,
    "portal.recalls_detail": MEMBER_OWN,
    "portal.recalls_advance": ENTERPRISE_ADMIN_OWN,
    "portal.recalls_received": MEMBER,
    "portal.recalls_received_export": MEMBER,
    "portal.recalls_received_detail": Expect(MEMBER_OWN, args={"notice_id": "received_id"}),
    "portal.recalls_acknowledge": Expect(MEMBER_OWN, args={"notice_id": "received_id"}),
    "portal.nonconformance": MEMBER,
    "portal.nonconformance_export": MEMBER,
    "portal.nonconformance_new": ENTERPRISE_ADMIN,
    "portal.nonconformance_detail": Expect(MEMBER_OWN, args={"record_id": "nonconformance_id"}),
    "portal.nonconformance_report": Expect(MEMBER_OWN, args={"record_id": "nonconformance_id"}),
    "portal.nonconformance_status": Expect(
        ENTERPRISE_ADMIN_OWN, args={"record_id": "nonconformance_id"}
    ),
    "portal.notices": MEMBER,
    "portal.notices_export": MEMBER,
    # A Gansu notice, not addressed to B (Zhejiang); A has read it already (a first reading
    # writes the read receipt).
    "portal.notices_detail": MEMBER_OWN,
    "portal.notices_file": MEMBER_OWN,
    "portal.agency": MEMBER,
    # No product chosen in the (empty) form: even A's admin gets 404, like a foreign product.
    "portal.agency_bind": cells(ENTERPRISE_ADMIN, admin_a=404, admin_b=404),
    # Portal: scan analytics, consumer feedback, API tokens
    "portal.analytics_dashboard": MEMBER,
    "portal.analytics_csv": MEMBER,
    "portal.analytics_flags": MEMBER,
    "portal.analytics_flag_review": ENTERPRISE_ADMIN_OWN,
    "portal.analytics_rules": ENTERPRISE_ADMIN,
    # The batch is looked up before the role is checked: B's recorder gets 404 too.
    "portal.batch_sales_regions": Expect(
        MEMBER_OWN, post=cells(ENTERPRISE_ADMIN_OWN, recorder_b=404)
    ),
    "portal.feedback_inbox": MEMBER,
    "portal.feedback_detail": MEMBER_OWN,
    "portal.feedback_photo": MEMBER_OWN,
    "portal.tokens": ENTERPRISE_ADMIN,
    "portal.tokens_create": ENTERPRISE_ADMIN,
    "portal.tokens_revoke": ENTERPRISE_ADMIN_OWN,
    # Console: regulators
    "admin.index": CONSOLE,
    "admin.enterprises": REGULATOR,
    "admin.enterprises_export": REGULATOR,
    "admin.enterprises_detail": REGULATOR_IN_REGION,
    "admin.enterprise_products_export": REGULATOR_IN_REGION,
    "admin.enterprise_batches_export": REGULATOR_IN_REGION,
    "admin.batches_detail": REGULATOR_IN_REGION,
    "admin.filings": REGULATOR,
    "admin.filings_export": REGULATOR,
    "admin.filings_detail": REGULATOR_IN_REGION,
    "admin.filings_approve": REGULATOR_IN_REGION,
    "admin.filings_reject": REGULATOR_IN_REGION,
    "admin.products": REGULATOR,
    "admin.products_export": REGULATOR,
    "admin.batches": REGULATOR,
    "admin.batches_export": REGULATOR,
    "admin.batch_epcis": api(REGULATOR_IN_REGION),
    # Console: goods flow
    "admin.transactions": REGULATOR,
    "admin.transactions_export": REGULATOR,
    "admin.transactions_detail": REGULATOR_IN_REGION,
    "admin.mismatches_list": REGULATOR,
    "admin.mismatches_export": REGULATOR,
    "admin.trace_search": REGULATOR,
    "admin.trace": REGULATOR_IN_REGION,
    "admin.trace_export": REGULATOR_IN_REGION,
    "admin.trace_drill": REGULATOR_IN_REGION,
    # Console: recalls, non-conformance, notices, agency
    "admin.recalls": REGULATOR,
    "admin.recalls_export": REGULATOR,
    "admin.recalls_order": REGULATOR_IN_REGION,
    "admin.recalls_detail": REGULATOR_IN_REGION,
    "admin.recalls_advance": REGULATOR_IN_REGION,
    "admin.nonconformance": REGULATOR,
    "admin.nonconformance_export": REGULATOR,
    "admin.nonconformance_new": REGULATOR_IN_REGION,
    "admin.nonconformance_detail": Expect(
        REGULATOR_IN_REGION, args={"record_id": "nonconformance_id"}
    ),
    "admin.nonconformance_report": Expect(
        REGULATOR_IN_REGION, args={"record_id": "nonconformance_id"}
    ),
    "admin.nonconformance_status": Expect(
        REGULATOR_IN_REGION, args={"record_id": "nonconformance_id"}
    ),
    "admin.notices": REGULATOR,
    "admin.notices_export": REGULATOR,
    "admin.notices_new": REGULATOR,
    "admin.notices_detail": REGULATOR_IN_REGION,  # the Gansu regulator's notice
    "admin.notices_file": REGULATOR_IN_REGION,
    "admin.agency": CONSOLE,  # regulators with the enterprises module, and the platform admin
    "admin.agency_unbind": cells(REGULATOR_IN_REGION, platform_admin=OK),
    # Console: scan analytics, consumer reports, API tokens
    "admin.scan_dashboard": REGULATOR,
    "admin.scan_csv": REGULATOR,
    "admin.reports": REGULATOR,
    "admin.report_detail": REGULATOR_IN_REGION,
    "admin.report_photo": REGULATOR_IN_REGION,
    "admin.api_tokens": REGULATOR,
    "admin.api_tokens_create": REGULATOR,
    # A regulator's token: only the regulator who made it may revoke it.
    "admin.api_tokens_revoke": Expect(
        cells(REGULATOR, regulator_other=404, national=404), args={"token_id": "regulator_token_id"}
    ),
    # Console: platform admin
    "admin.pools": PLATFORM_ADMIN,
    "admin.users": PLATFORM_ADMIN,
    "admin.users_new": PLATFORM_ADMIN,
    "admin.users_set_active": PLATFORM_ADMIN,
    "admin.regulators": PLATFORM_ADMIN,
    "admin.regulators_new": PLATFORM_ADMIN,
    "admin.regulators_edit": Expect(PLATFORM_ADMIN, args={"user_id": "regulator_id"}),
    "admin.regulators_password": Expect(PLATFORM_ADMIN, args={"user_id": "regulator_id"}),
    "admin.regulators_set_active": Expect(PLATFORM_ADMIN, args={"user_id": "regulator_id"}),
}


#: Which object of enterprise A (``tests/factories_access.Objects``) each URL argument names.
#: Also named values an ``Expect(args=...)`` can pick instead of the default.
ARGUMENTS = {
    "enterprise_id": lambda o: o.world.a.enterprise.id,
    "product_id": lambda o: o.world.a.product.id,
    "batch_id": lambda o: o.world.a.batch.id,
    "pool_id": lambda o: o.world.a.pool.id,
    "range_id": lambda o: o.code_range.id,
    "record_id": lambda o: o.record.id,
    "draft_record_id": lambda o: o.draft_record.id,
    "attachment_id": lambda o: o.attachment.id,
    "name": lambda o: o.attachment.filename,  # query.file: the attachment's file name
    "image_id": lambda o: o.image.id,
    "filing_id": lambda o: o.filing.id,
    "area_id": lambda o: o.area.id,
    "membership_id": lambda o: o.world.a.recorder.membership.id,
    "role": lambda o: "admin",  # member role route: grant the recorder the admin role
    "action": lambda o: "grant",  # free-text action; any(...) arguments take their first item
    "user_id": lambda o: o.world.a.recorder.id,
    "run_id": lambda o: o.run.id,
    "code": lambda o: o.code,
    "item_type": lambda o: "batch",
    "item_id": lambda o: o.world.a.batch.id,
    "kind_name": lambda o: "batches",
    "fmt": lambda o: "csv",
    "slug": lambda o: "register",
    "filename": lambda o: "suyuan.css",
    "labels_asset": lambda o: LABELS_ASSET,
    "print_run_id": lambda o: o.more.print_run.id,
    "counterparty_id": lambda o: o.more.counterparty.id,
    "transaction_id": lambda o: o.more.transaction.id,
    "draft_transaction_id": lambda o: o.more.draft_transaction.id,
    "recall_id": lambda o: o.more.recall.id,
    "received_id": lambda o: o.more.received.id,  # B's recall as it reached A
    "nonconformance_id": lambda o: o.more.nonconformance.id,
    "notice_id": lambda o: o.more.notice.id,
    "feedback_id": lambda o: o.more.feedback.id,
    "flag_id": lambda o: o.more.flag.id,
    "binding_id": lambda o: o.more.binding.id,
    "token_id": lambda o: o.more.token.id,
    "regulator_token_id": lambda o: o.more.regulator_token.id,
    "regulator_id": lambda o: o.world.gansu.id,
    "table": lambda o: "days",
    "gtin": lambda o: o.world.a.product.gtin,
    "qualifiers": lambda o: f"10/{o.world.a.batch.lot_number}",
}

#: Values that name nothing (integer arguments take ``MISSING_ID``): the page they get is the
#: 404 every refused object must get.
MISSING_ID = 987_654
MISSING = {
    "code": lambda o: code_key().encode(999_999),  # well formed, in nobody's pool
    "name": lambda o: "missing.png",
    "gtin": lambda o: "06901234567885",  # a valid GTIN no product carries
    "qualifiers": lambda o: "10/NO-SUCH-LOT",
}
#: Arguments that are not object references: kept as they are when naming a missing object.
NOT_OBJECTS = {"role", "action", "item_type", "kind_name", "fmt", "slug", "filename", "table"}
