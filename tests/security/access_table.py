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
    # Console: platform admin
    "admin.pools": PLATFORM_ADMIN,
    "admin.users": PLATFORM_ADMIN,
    "admin.users_new": PLATFORM_ADMIN,
    "admin.users_set_active": PLATFORM_ADMIN,
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
}

#: Values that name nothing (integer arguments take ``MISSING_ID``): the page they get is the
#: 404 every refused object must get.
MISSING_ID = 987_654
MISSING = {
    "code": lambda o: code_key().encode(999_999),  # well formed, in nobody's pool
    "name": lambda o: "missing.png",
}
#: Arguments that are not object references: kept as they are when naming a missing object.
NOT_OBJECTS = {"role", "action", "item_type", "kind_name", "fmt", "slug", "filename"}
