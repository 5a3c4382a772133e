#!/usr/bin/env python3
"""moto_server with a few faithful extensions, for aws-bootstrap's integration tests.

WHAT THIS IS
    A drop-in replacement for ``moto_server`` (moto 5.2.1). It parses the same
    command line (``-H/--host``, ``-p/--port``, ``-r/--reload``, ``-s/--ssl``,
    ``-c/--ssl-cert``, ``-k/--ssl-key``), serves the same WSGI application
    (every moto route, including ``/moto-api/`` and ``POST /moto-api/reset``),
    and runs werkzeug threaded, exactly as ``moto.server.main`` does. The
    approach is the one LocalStack takes on top of moto: import moto, patch a
    handful of methods onto its backend/response classes, and put a thin WSGI
    layer in front of moto's own dispatcher. Nothing in moto is replaced; it
    only gains operations it does not implement yet.

    Usage:  python3 test/moto/moto_ext_server.py -H 127.0.0.1 -p 5000

    ``--http plain`` serves the same application on plain_http_server.py (one
    thread, keep-alive) instead of werkzeug: less overhead per request, for the
    benchmark (bench/run.mjs). It takes no --ssl or --reload options.

    One speed-up applies either way: moto maps a Host header to a service by
    listing its own package directory (about 180 stat calls) on every request;
    that list is read once (``install_dispatch_speedup``).

WHY
    The CLI under test calls AWS operations that moto 5.2.1 lacks (most of the
    Budgets subscriber/update API) and inspects root-account state that moto
    hard-codes (root MFA always off, root access keys always absent, the caller
    is never the root user). Without these extensions the integration tests
    could not exercise those code paths against a local endpoint.

WHAT IS ADDED (each one mirrors the documented AWS behaviour / JSON shapes)
    0. Environment: ``MOTO_IAM_LOAD_MANAGED_POLICIES=true`` is set before moto
       is imported, so AWS managed policies such as AdministratorAccess exist,
       as they do in every real account.

    1. AWS Budgets (JSON 1.1 protocol, X-Amz-Target ``AWSBudgetServiceGateway.*``;
       moto dispatches the target's operation name to the snake_case method of
       ``BudgetsResponse``, so adding methods there adds operations).
       New operations:
         - DescribeSubscribersForNotification -> {"Subscribers": [...], "NextToken": null}
         - CreateSubscriber / DeleteSubscriber / UpdateSubscriber -> {}
         - UpdateBudget (NewBudget replaces the stored budget; notifications
           and their subscribers are kept) -> {}
         - UpdateNotification (OldNotification -> NewNotification; the
           subscribers are kept) -> {}
         - DescribeBudgetNotificationsForAccount ->
             {"BudgetNotificationsForAccount": [{"Notifications": [...],
               "BudgetName": "..."}], "NextToken": null}
       Errors are raised as moto's budgets exceptions (HTTP 400, JSON body
       {"__type": "NotFoundException" | "DuplicateRecordException", "message"}),
       which is what AWS returns:
         - NotFoundException when the budget, notification or subscriber does
           not exist;
         - DuplicateRecordException when creating a subscriber/notification
           that already exists, or updating one onto an existing one.
       Fixes to moto's existing Budgets operations, for the same reason:
         - DeleteNotification matches notifications the way AWS does (see
           below) and raises NotFoundException when nothing matches (moto
           compared raw dicts and silently did nothing);
         - CreateNotification raises DuplicateRecordException for an existing
           notification (moto appended a duplicate);
         - DescribeNotificationsForBudget raises NotFoundException for a
           missing budget (moto crashed with a KeyError -> HTTP 500).
       Notification identity: AWS identifies a budget notification by its
       NotificationType, ComparisonOperator, Threshold and ThresholdType
       (ThresholdType defaults to PERCENTAGE). Requests may differ in key
       order, send 80 vs 80.0, or include/omit NotificationState, so all
       lookups compare only those four fields (Threshold as a float).
       A subscriber is identified by (SubscriptionType, Address).

    2. Root-account switch, a control endpoint (not an AWS API) handled by a
       WSGI middleware *before* moto's dispatch:
         GET  /_aws-bootstrap/root[?accountId=123456789012]
         POST /_aws-bootstrap/root   body (JSON, every field optional):
              {"accountId": "123456789012",   # default: moto's default account
               "mfaEnabled": true|false,       # IAM AccountMFAEnabled 1|0
               "accessKeysPresent": true|false,# IAM AccountAccessKeysPresent 1|0
               "callerIsRoot": true|false,     # STS GetCallerIdentity -> root
               "rootAccessKeys": ["AKIA..."]}  # the root user's access keys
         Both answer 200 with the resulting state:
              {"accountId": "...", "mfaEnabled": bool,
               "accessKeysPresent": bool, "callerIsRoot": bool,
               "rootAccessKeys": ["AKIA...", ...]}
         Unspecified fields are left unchanged. Bad input -> 400
         {"error": "..."}; other methods -> 405.
         rootAccessKeys: access key ids (AWS's pattern: 16-128 word
         characters), at most 2 (AWS's limit for the root user), no
         duplicates; each becomes an Active key created now. Setting it sets
         accessKeysPresent to match (a list and a contradicting
         accessKeysPresent in one body -> 400; so is accessKeysPresent: false
         alone while listed keys remain: send rootAccessKeys: [] instead).
         accessKeysPresent: true without a list still works as before: keys
         GetAccountSummary reports but nobody can list (the caller is not root).
       Effects (partition "aws"):
         - IAM GetAccountSummary's SummaryMap reports AccountMFAEnabled /
           AccountAccessKeysPresent as 1/0, which is how AWS reports the root
           user's MFA device and root access keys.
         - With callerIsRoot, STS GetCallerIdentity answers as AWS does for
           root credentials: Arn ``arn:aws:iam::<account>:root``,
           UserId ``<account>``, Account ``<account>``. As in AWS, credentials
           that moto itself issued to an IAM user or to an assumed role keep
           reporting that user/role; only the "anonymous" test credentials
           (e.g. testing/testing) become the root user.
         - With callerIsRoot, IAM ListAccessKeys and DeleteAccessKey *without
           UserName*, signed with such root credentials, act on the root
           user's own access keys, as AWS documents ("If the UserName is not
           specified, the user name is determined implicitly based on the
           access key ID used to sign the request ... the root user returns
           its own access key IDs"): ListAccessKeys -> {"AccessKeyMetadata":
           [{"AccessKeyId", "Status", "CreateDate"}], "IsTruncated": false};
           DeleteAccessKey removes the key (NoSuchEntity when it is not one of
           them) and AccountAccessKeysPresent drops to 0 with the last one.
           Calls with a UserName, or signed by an IAM user's/assumed role's
           keys, or without callerIsRoot, are moto's own, unchanged.
       The state lives inside moto's own backend objects (the IAM backend's
       AccountSummary and root key list, an attribute on the STS backend), so
       moto's ``POST /moto-api/reset`` wipes it together with everything else.

LOGGING
    werkzeug's logger is set to WARNING: no startup banner and no per-request
    lines; tracebacks from failing requests are still printed. SIGTERM and
    SIGINT exit with status 0 (same handler as moto_server).
"""

from __future__ import annotations

import os

# Must happen before anything from moto is imported: moto.settings reads it
# whenever an IAM backend is (re)created, including after /moto-api/reset.
os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
from copy import deepcopy  # noqa: E402
from typing import Any, Callable, Iterable  # noqa: E402
from urllib.parse import parse_qs  # noqa: E402

import moto.backends as moto_backends  # noqa: E402
from moto.budgets.exceptions import (  # noqa: E402
    BudgetMissingLimit,
    DuplicateRecordException,
    NotFoundException,
)
from moto.budgets.models import Budget, BudgetsBackend, Notification  # noqa: E402
from moto.budgets.responses import BudgetsResponse  # noqa: E402
from moto.core import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.core.utils import unix_time  # noqa: E402
from moto.core.responses import ActionResult, EmptyResult  # noqa: E402
from moto.core.utils import utcnow  # noqa: E402
from moto.iam.exceptions import NotFoundException as IamNotFoundException  # noqa: E402
from moto.iam.models import iam_backends  # noqa: E402
from moto.iam.responses import IamResponse  # noqa: E402
from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    create_backend_app,
)
from moto.sts.models import STSBackend, sts_backends  # noqa: E402
from moto.utilities.utils import get_partition  # noqa: E402
from werkzeug.serving import run_simple  # noqa: E402

# ---------------------------------------------------------------------------
# 1. AWS Budgets
# ---------------------------------------------------------------------------


def _threshold(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _notification_key(n: dict[str, Any] | None) -> tuple[Any, ...]:
    """The fields AWS uses to identify a notification within a budget."""
    n = n or {}
    return (
        n.get("NotificationType"),
        n.get("ComparisonOperator"),
        _threshold(n.get("Threshold")),
        n.get("ThresholdType") or "PERCENTAGE",
    )


def _subscriber_key(s: dict[str, Any] | None) -> tuple[Any, ...]:
    s = s or {}
    return (s.get("SubscriptionType"), s.get("Address"))


def _get_budget(
    backend: BudgetsBackend, account_id: str, budget_name: str, action: str
) -> Budget:
    budget = backend.budgets[account_id].get(budget_name)
    if budget is None:
        raise NotFoundException(
            f"Unable to {action} - the budget {budget_name} doesn't exist."
        )
    return budget


def _find_notification(budget: Budget, notification: dict[str, Any]) -> Notification | None:
    key = _notification_key(notification)
    for n in budget.notifications:
        if _notification_key(n.details) == key:
            return n
    return None


def _get_notification(
    backend: BudgetsBackend,
    account_id: str,
    budget_name: str,
    notification: dict[str, Any],
    action: str,
) -> Notification:
    budget = _get_budget(backend, account_id, budget_name, action)
    found = _find_notification(budget, notification)
    if found is None:
        raise NotFoundException(
            f"Unable to {action} - the notification doesn't exist for budget {budget_name}."
        )
    return found


# --- backend methods -------------------------------------------------------


def _be_create_notification(
    self: BudgetsBackend,
    account_id: str,
    budget_name: str,
    notification: dict[str, Any],
    subscribers: list[dict[str, Any]],
) -> None:
    budget = _get_budget(self, account_id, budget_name, "create notification")
    if _find_notification(budget, notification) is not None:
        raise DuplicateRecordException(
            record_type="notification", record_name=budget_name
        )
    budget.add_notification(details=notification, subscribers=subscribers or [])


def _be_delete_notification(
    self: BudgetsBackend,
    account_id: str,
    budget_name: str,
    notification: dict[str, Any],
) -> None:
    found = _get_notification(
        self, account_id, budget_name, notification, "delete notification"
    )
    budget = self.budgets[account_id][budget_name]
    budget.notifications = [n for n in budget.notifications if n is not found]


def _be_describe_notifications_for_budget(
    self: BudgetsBackend, account_id: str, budget_name: str
) -> Iterable[dict[str, Any]]:
    return _get_budget(
        self, account_id, budget_name, "describe notifications"
    ).get_notifications()


def _be_update_budget(
    self: BudgetsBackend, account_id: str, new_budget: dict[str, Any]
) -> None:
    budget_name = (new_budget or {}).get("BudgetName")
    current = _get_budget(self, account_id, budget_name, "update budget")
    if "BudgetLimit" not in new_budget and "PlannedBudgetLimits" not in new_budget:
        raise BudgetMissingLimit()
    updated = deepcopy(new_budget)
    # AWS: "You can change every part of a budget except for the budgetName
    # and the calculatedSpend."
    updated.pop("CalculatedSpend", None)
    if "CalculatedSpend" in current.budget:
        updated["CalculatedSpend"] = current.budget["CalculatedSpend"]
    if "TimePeriod" not in updated:
        updated["TimePeriod"] = current.budget["TimePeriod"]
    updated["LastUpdatedTime"] = unix_time()
    current.budget = updated  # notifications (and subscribers) are untouched


def _be_update_notification(
    self: BudgetsBackend,
    account_id: str,
    budget_name: str,
    old_notification: dict[str, Any],
    new_notification: dict[str, Any],
) -> None:
    found = _get_notification(
        self, account_id, budget_name, old_notification, "update notification"
    )
    other = _find_notification(self.budgets[account_id][budget_name], new_notification)
    if other is not None and other is not found:
        raise DuplicateRecordException(
            record_type="notification", record_name=budget_name
        )
    found.details = new_notification  # subscribers are kept


def _be_describe_subscribers_for_notification(
    self: BudgetsBackend,
    account_id: str,
    budget_name: str,
    notification: dict[str, Any],
) -> list[dict[str, Any]]:
    found = _get_notification(
        self, account_id, budget_name, notification, "describe subscribers"
    )
    return list(found.subscribers or [])


def _be_create_subscriber(
    self: BudgetsBackend,
    account_id: str,
    budget_name: str,
    notification: dict[str, Any],
    subscriber: dict[str, Any],
) -> None:
    found = _get_notification(
        self, account_id, budget_name, notification, "create subscriber"
    )
    key = _subscriber_key(subscriber)
    if any(_subscriber_key(s) == key for s in found.subscribers or []):
        raise DuplicateRecordException(
            record_type="subscriber", record_name=str(subscriber.get("Address"))
        )
    found.subscribers = list(found.subscribers or []) + [subscriber]


def _be_delete_subscriber(
    self: BudgetsBackend,
    account_id: str,
    budget_name: str,
    notification: dict[str, Any],
    subscriber: dict[str, Any],
) -> None:
    found = _get_notification(
        self, account_id, budget_name, notification, "delete subscriber"
    )
    key = _subscriber_key(subscriber)
    remaining = [s for s in found.subscribers or [] if _subscriber_key(s) != key]
    if len(remaining) == len(found.subscribers or []):
        raise NotFoundException(
            f"Unable to delete subscriber - the subscriber {subscriber.get('Address')} doesn't exist."
        )
    found.subscribers = remaining


def _be_update_subscriber(
    self: BudgetsBackend,
    account_id: str,
    budget_name: str,
    notification: dict[str, Any],
    old_subscriber: dict[str, Any],
    new_subscriber: dict[str, Any],
) -> None:
    found = _get_notification(
        self, account_id, budget_name, notification, "update subscriber"
    )
    subs = list(found.subscribers or [])
    old_key, new_key = _subscriber_key(old_subscriber), _subscriber_key(new_subscriber)
    idx = next((i for i, s in enumerate(subs) if _subscriber_key(s) == old_key), None)
    if idx is None:
        raise NotFoundException(
            f"Unable to update subscriber - the subscriber {old_subscriber.get('Address')} doesn't exist."
        )
    if new_key != old_key and any(_subscriber_key(s) == new_key for s in subs):
        raise DuplicateRecordException(
            record_type="subscriber", record_name=str(new_subscriber.get("Address"))
        )
    subs[idx] = new_subscriber
    found.subscribers = subs


def _be_describe_budget_notifications_for_account(
    self: BudgetsBackend, account_id: str
) -> list[dict[str, Any]]:
    return [
        {"Notifications": list(budget.get_notifications()), "BudgetName": name}
        for name, budget in self.budgets[account_id].items()
        if budget.notifications
    ]


# --- response (protocol) methods --------------------------------------------


def _rs_update_budget(self: BudgetsResponse) -> str:
    self.backend.update_budget(
        account_id=self._get_param("AccountId"),
        new_budget=self._get_param("NewBudget"),
    )
    return json.dumps({})


def _rs_update_notification(self: BudgetsResponse) -> str:
    self.backend.update_notification(
        account_id=self._get_param("AccountId"),
        budget_name=self._get_param("BudgetName"),
        old_notification=self._get_param("OldNotification"),
        new_notification=self._get_param("NewNotification"),
    )
    return json.dumps({})


def _rs_describe_subscribers_for_notification(self: BudgetsResponse) -> str:
    subscribers = self.backend.describe_subscribers_for_notification(
        account_id=self._get_param("AccountId"),
        budget_name=self._get_param("BudgetName"),
        notification=self._get_param("Notification"),
    )
    return json.dumps({"Subscribers": subscribers, "NextToken": None})


def _rs_create_subscriber(self: BudgetsResponse) -> str:
    self.backend.create_subscriber(
        account_id=self._get_param("AccountId"),
        budget_name=self._get_param("BudgetName"),
        notification=self._get_param("Notification"),
        subscriber=self._get_param("Subscriber"),
    )
    return json.dumps({})


def _rs_delete_subscriber(self: BudgetsResponse) -> str:
    self.backend.delete_subscriber(
        account_id=self._get_param("AccountId"),
        budget_name=self._get_param("BudgetName"),
        notification=self._get_param("Notification"),
        subscriber=self._get_param("Subscriber"),
    )
    return json.dumps({})


def _rs_update_subscriber(self: BudgetsResponse) -> str:
    self.backend.update_subscriber(
        account_id=self._get_param("AccountId"),
        budget_name=self._get_param("BudgetName"),
        notification=self._get_param("Notification"),
        old_subscriber=self._get_param("OldSubscriber"),
        new_subscriber=self._get_param("NewSubscriber"),
    )
    return json.dumps({})


def _rs_describe_budget_notifications_for_account(self: BudgetsResponse) -> str:
    items = self.backend.describe_budget_notifications_for_account(
        account_id=self._get_param("AccountId")
    )
    return json.dumps({"BudgetNotificationsForAccount": items, "NextToken": None})


def install_budgets_extensions() -> None:
    # Backend: replacements of moto's methods (same signatures) ...
    BudgetsBackend.create_notification = _be_create_notification  # type: ignore[method-assign]
    BudgetsBackend.delete_notification = _be_delete_notification  # type: ignore[method-assign]
    BudgetsBackend.describe_notifications_for_budget = _be_describe_notifications_for_budget  # type: ignore[method-assign]
    # ... and new operations.
    BudgetsBackend.update_budget = _be_update_budget  # type: ignore[attr-defined]
    BudgetsBackend.update_notification = _be_update_notification  # type: ignore[attr-defined]
    BudgetsBackend.describe_subscribers_for_notification = _be_describe_subscribers_for_notification  # type: ignore[attr-defined]
    BudgetsBackend.create_subscriber = _be_create_subscriber  # type: ignore[attr-defined]
    BudgetsBackend.delete_subscriber = _be_delete_subscriber  # type: ignore[attr-defined]
    BudgetsBackend.update_subscriber = _be_update_subscriber  # type: ignore[attr-defined]
    BudgetsBackend.describe_budget_notifications_for_account = _be_describe_budget_notifications_for_account  # type: ignore[attr-defined]

    # Response class: moto maps X-Amz-Target "AWSBudgetServiceGateway.UpdateBudget"
    # to BudgetsResponse.update_budget (it looks methods up on the class).
    BudgetsResponse.update_budget = _rs_update_budget  # type: ignore[attr-defined]
    BudgetsResponse.update_notification = _rs_update_notification  # type: ignore[attr-defined]
    BudgetsResponse.describe_subscribers_for_notification = _rs_describe_subscribers_for_notification  # type: ignore[attr-defined]
    BudgetsResponse.create_subscriber = _rs_create_subscriber  # type: ignore[attr-defined]
    BudgetsResponse.delete_subscriber = _rs_delete_subscriber  # type: ignore[attr-defined]
    BudgetsResponse.update_subscriber = _rs_update_subscriber  # type: ignore[attr-defined]
    BudgetsResponse.describe_budget_notifications_for_account = _rs_describe_budget_notifications_for_account  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# 2. Root-account switch
# ---------------------------------------------------------------------------

CONTROL_PATH = "/_aws-bootstrap/root"
ROOT_PARTITION = "aws"
_CALLER_IS_ROOT_ATTR = "_aws_bootstrap_caller_is_root"
_ROOT_KEYS_ATTR = "_aws_bootstrap_root_access_keys"
_ACCOUNT_ID_RE = re.compile(r"^\d{12}$")
# AccessKeyMetadata.AccessKeyId: "Length Constraints: Minimum length of 16.
# Maximum length of 128. Pattern: [\w]+"
_ACCESS_KEY_ID_RE = re.compile(r"^\w{16,128}$")
# The root user, like an IAM user, can have at most two access keys.
_MAX_ROOT_ACCESS_KEYS = 2


def _iam_summary(account_id: str) -> Any:
    # iam_backends is keyed [account_id][partition] ("aws", "aws-cn", ...).
    return iam_backends[account_id][ROOT_PARTITION].account_summary


def _sts_backend(account_id: str) -> STSBackend:
    # sts_backends is keyed the same way ([account_id][partition]).
    return sts_backends[account_id][ROOT_PARTITION]


def _root_keys(account_id: str) -> list[dict[str, Any]]:
    """The root user's access keys, kept on the account's IAM backend (so a reset wipes them)."""
    backend = iam_backends[account_id][ROOT_PARTITION]
    keys = getattr(backend, _ROOT_KEYS_ATTR, None)
    if keys is None:
        keys = []
        setattr(backend, _ROOT_KEYS_ATTR, keys)
    return keys


def get_root_state(account_id: str) -> dict[str, Any]:
    summary = _iam_summary(account_id)
    return {
        "accountId": account_id,
        "mfaEnabled": bool(summary._account_mfa_enabled),
        "accessKeysPresent": bool(summary._account_access_keys_present),
        "callerIsRoot": bool(getattr(_sts_backend(account_id), _CALLER_IS_ROOT_ATTR, False)),
        "rootAccessKeys": [k["AccessKeyId"] for k in _root_keys(account_id)],
    }


def _validate_root_access_keys(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise ValueError("rootAccessKeys must be a list of access key id strings")
    bad = [k for k in value if not _ACCESS_KEY_ID_RE.match(k)]
    if bad:
        raise ValueError(f"rootAccessKeys: not an access key id (16-128 word characters): {', '.join(bad)}")
    if len(set(value)) != len(value):
        raise ValueError("rootAccessKeys: duplicate access key id")
    if len(value) > _MAX_ROOT_ACCESS_KEYS:
        raise ValueError(f"rootAccessKeys: the root user can have at most {_MAX_ROOT_ACCESS_KEYS} access keys")
    return value


def set_root_state(body: dict[str, Any]) -> dict[str, Any]:
    account_id = body.get("accountId", DEFAULT_ACCOUNT_ID)
    if not isinstance(account_id, str) or not _ACCOUNT_ID_RE.match(account_id):
        raise ValueError("accountId must be a 12-digit string")
    unknown = set(body) - {"accountId", "mfaEnabled", "accessKeysPresent", "callerIsRoot", "rootAccessKeys"}
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(sorted(unknown))}")
    for field in ("mfaEnabled", "accessKeysPresent", "callerIsRoot"):
        if field in body and not isinstance(body[field], bool):
            raise ValueError(f"{field} must be a boolean")
    key_ids = _validate_root_access_keys(body["rootAccessKeys"]) if "rootAccessKeys" in body else None
    # AccountAccessKeysPresent is a fact about the root keys: never let the two disagree.
    if key_ids is not None and "accessKeysPresent" in body and body["accessKeysPresent"] != bool(key_ids):
        raise ValueError("accessKeysPresent contradicts rootAccessKeys (it follows the list: leave it out)")
    if key_ids is None and body.get("accessKeysPresent") is False and _root_keys(account_id):
        raise ValueError("accessKeysPresent: false while rootAccessKeys remain: send rootAccessKeys: [] instead")

    summary = _iam_summary(account_id)
    if "mfaEnabled" in body:
        summary._account_mfa_enabled = 1 if body["mfaEnabled"] else 0
    if "accessKeysPresent" in body:
        summary._account_access_keys_present = 1 if body["accessKeysPresent"] else 0
    if key_ids is not None:
        keys = _root_keys(account_id)
        keys[:] = [{"AccessKeyId": k, "Status": "Active", "CreateDate": utcnow()} for k in key_ids]
        summary._account_access_keys_present = 1 if keys else 0
    if "callerIsRoot" in body:
        setattr(_sts_backend(account_id), _CALLER_IS_ROOT_ATTR, body["callerIsRoot"])
    return get_root_state(account_id)


_original_get_caller_identity = STSBackend.get_caller_identity


def _signs_as_root(sts: STSBackend, access_key_id: str) -> bool:
    """True when callerIsRoot is on and these credentials are not ones moto issued to a user or role."""
    if not getattr(sts, _CALLER_IS_ROOT_ATTR, False):
        return False
    # Keys moto issued to an assumed role or an IAM user keep their
    # identity; anything else is treated as the account's root credentials.
    is_role = sts.get_assumed_role_from_access_key(access_key_id) is not None
    is_user = (
        iam_backends[sts.account_id][sts.partition].get_user_from_access_key_id(access_key_id)
        is not None
    )
    return not is_role and not is_user


def _get_caller_identity(
    self: STSBackend, access_key_id: str, region: str
) -> tuple[str, str, str]:
    if _signs_as_root(self, access_key_id):
        partition = get_partition(region)
        return (
            self.account_id,
            f"arn:{partition}:iam::{self.account_id}:root",
            self.account_id,
        )
    return _original_get_caller_identity(self, access_key_id, region)


_original_list_access_keys = IamResponse.list_access_keys
_original_delete_access_key = IamResponse.delete_access_key


def _root_request_account(response: IamResponse) -> str | None:
    """The account whose root user signs this request without a UserName, else None (moto's own path)."""
    if response._get_param("UserName") or response.partition != ROOT_PARTITION:
        return None
    account_id = response.current_account
    if not _signs_as_root(_sts_backend(account_id), response.get_access_key()):
        return None
    return account_id


def _list_access_keys(self: IamResponse) -> Any:
    account_id = _root_request_account(self)
    if account_id is None:
        return _original_list_access_keys(self)
    # Root keys have no IAM user: AccessKeyMetadata carries no UserName.
    return ActionResult({"AccessKeyMetadata": [dict(k) for k in _root_keys(account_id)], "IsTruncated": False})


def _delete_access_key(self: IamResponse) -> Any:
    account_id = _root_request_account(self)
    if account_id is None:
        return _original_delete_access_key(self)
    access_key_id = self._get_param("AccessKeyId")
    keys = _root_keys(account_id)
    remaining = [k for k in keys if k["AccessKeyId"] != access_key_id]
    if len(remaining) == len(keys):
        raise IamNotFoundException(f"The Access Key with id {access_key_id} cannot be found")
    keys[:] = remaining
    _iam_summary(account_id)._account_access_keys_present = 1 if remaining else 0
    return EmptyResult()


def install_root_extensions() -> None:
    STSBackend.get_caller_identity = _get_caller_identity  # type: ignore[method-assign]
    # moto looks response methods up on the class: these replace ListAccessKeys / DeleteAccessKey,
    # and hand every request that is not a root one back to moto's originals.
    IamResponse.list_access_keys = _list_access_keys  # type: ignore[method-assign]
    IamResponse.delete_access_key = _delete_access_key  # type: ignore[method-assign]


def install_dispatch_speedup() -> None:
    """moto lists its own package directory (a stat per service, ~180) on every request to map a Host header
    to a service; the list cannot change while the server runs, so it is read once."""
    modules = tuple(moto_backends.list_of_moto_modules())
    moto_backends.list_of_moto_modules = lambda: modules  # type: ignore[assignment]


class ControlMiddleware:
    """Serves /_aws-bootstrap/* itself and hands everything else to moto."""

    def __init__(self, app: Callable[..., Any]):
        self.app = app

    def __getattr__(self, name: str) -> Any:  # e.g. .debug, passed through
        return getattr(self.app, name)

    @staticmethod
    def _reply(start_response: Callable[..., Any], status: str, payload: Any,
               extra_headers: list[tuple[str, str]] | None = None) -> list[bytes]:
        body = json.dumps(payload).encode("utf-8")
        headers = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
        ] + (extra_headers or [])
        start_response(status, headers)
        return [body]

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.rstrip("/") != CONTROL_PATH:
            return self.app(environ, start_response)

        method = environ.get("REQUEST_METHOD", "GET").upper()
        try:
            if method == "GET":
                query = parse_qs(environ.get("QUERY_STRING", ""))
                account_id = query.get("accountId", [DEFAULT_ACCOUNT_ID])[0]
                if not _ACCOUNT_ID_RE.match(account_id):
                    raise ValueError("accountId must be a 12-digit string")
                return self._reply(start_response, "200 OK", get_root_state(account_id))
            if method == "POST":
                try:
                    length = int(environ.get("CONTENT_LENGTH") or 0)
                except ValueError:
                    length = 0
                raw = environ["wsgi.input"].read(length) if length > 0 else b""
                try:
                    body = json.loads(raw.decode("utf-8")) if raw.strip() else {}
                except (UnicodeDecodeError, json.JSONDecodeError) as e:
                    raise ValueError(f"body is not valid JSON: {e}") from e
                if not isinstance(body, dict):
                    raise ValueError("body must be a JSON object")
                return self._reply(start_response, "200 OK", set_root_state(body))
            return self._reply(
                start_response,
                "405 METHOD NOT ALLOWED",
                {"error": f"{method} not allowed; use GET or POST"},
                [("Allow", "GET, POST")],
            )
        except ValueError as e:
            return self._reply(start_response, "400 BAD REQUEST", {"error": str(e)})


# ---------------------------------------------------------------------------
# Server entry point (mirrors moto.server.main)
# ---------------------------------------------------------------------------


def _signal_handler(signum: Any, frame: Any) -> None:
    sys.exit(0)


def main(argv: list[str] | None = None) -> None:
    argv = argv or sys.argv[1:]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-H", "--host", type=str, help="Which host to bind", default="127.0.0.1")
    parser.add_argument(
        "-p", "--port", type=int, help="Port number to use for connection",
        default=int(os.environ.get("MOTO_PORT", 5000)),
    )
    parser.add_argument("-r", "--reload", action="store_true", default=False,
                        help="Reload server on a file change")
    parser.add_argument("-s", "--ssl", action="store_true", default=False,
                        help="Enable SSL encrypted connection with auto-generated certificate (use https://... URL)")
    parser.add_argument("-c", "--ssl-cert", type=str, default=None, help="Path to SSL certificate")
    parser.add_argument("-k", "--ssl-key", type=str, default=None, help="Path to SSL private key")
    parser.add_argument("--http", choices=("werkzeug", "plain"), default="werkzeug",
                        help="werkzeug (moto_server's threaded server, the default) or plain: one thread, less "
                             "overhead per request (plain_http_server.py; the benchmark's)")
    args = parser.parse_args(argv)

    if "MOTO_PORT" not in os.environ:
        os.environ["MOTO_PORT"] = f"{args.port}"

    try:
        signal.signal(signal.SIGINT, _signal_handler)
        signal.signal(signal.SIGTERM, _signal_handler)
    except Exception:
        pass  # "signal only works in main thread"

    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    install_budgets_extensions()
    install_root_extensions()
    install_dispatch_speedup()

    moto_app = DomainDispatcherApplication(create_backend_app)
    moto_app.debug = True  # type: ignore[attr-defined]
    app = ControlMiddleware(moto_app)

    if args.http == "plain":
        if args.ssl or args.ssl_key or args.ssl_cert or args.reload:
            parser.error("--http plain takes no --ssl, --ssl-cert, --ssl-key or --reload")
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from plain_http_server import serve

        serve(app, args.host, args.port)
        return

    ssl_context: Any = None
    if args.ssl_key and args.ssl_cert:
        ssl_context = (args.ssl_cert, args.ssl_key)
    elif args.ssl:
        ssl_context = "adhoc"

    run_simple(
        args.host,
        args.port,
        app,
        threaded=True,
        use_reloader=args.reload,
        ssl_context=ssl_context,
    )


if __name__ == "__main__":
    main()
