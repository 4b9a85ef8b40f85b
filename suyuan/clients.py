"""Who is asking, as far as rate limits and scan counting need to know — without keeping it.

``client_address`` believes ``X-Forwarded-For`` only when the direct peer is one of the
configured proxies (``SUYUAN_TRUSTED_PROXIES``); anyone else could write any address there.
``scanner_hash`` turns the address into a salted hash that changes every day: enough to
count distinct scanners of one code, useless to follow a person, and never the address.
"""

import hashlib
import hmac
import ipaddress
from datetime import UTC, date, datetime
from functools import lru_cache

from flask import current_app, request


@lru_cache(maxsize=16)
def _networks(setting: str) -> tuple:
    networks = []
    for item in setting.replace(";", ",").split(","):
        item = item.strip()
        if item:
            networks.append(ipaddress.ip_network(item, strict=False))
    return tuple(networks)


def _is_trusted(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address() -> str:
    """The client's address: the peer, or the nearest untrusted hop of X-Forwarded-For."""
    peer = request.remote_addr or ""
    networks = _networks(current_app.config.get("TRUSTED_PROXIES") or "")
    if not networks or not _is_trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _is_trusted(hop, networks):
            return hop
    return peer


def daily_salt(day: date | None = None) -> bytes:
    """The salt of ``day`` (default today, UTC): yesterday's hashes cannot be matched today."""
    return _salt(str(current_app.config["SCAN_SALT"]), day or datetime.now(UTC).date())


@lru_cache(maxsize=4)
def _salt(secret: str, day: date) -> bytes:
    return hmac.new(secret.encode(), f"scanner:{day.isoformat()}".encode(), hashlib.sha256).digest()


def scanner_hash(day: date | None = None) -> str:
    """A salted daily hash of the client (address and browser), 32 hex digits."""
    agent = request.headers.get("User-Agent", "")[:200]
    material = f"{client_address()}|{agent}".encode()
    return hmac.new(daily_salt(day), material, hashlib.sha256).hexdigest()[:32]
