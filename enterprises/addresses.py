"""Where a group robot may be: an address on the internet, never the server's own machine or network.

A department head types the robot's URL, and the worker then connects there from inside the
county's network. Unchecked, that URL could point the worker at itself (`https://127.0.0.1:8511/`),
the cloud's metadata service (`169.254.169.254`) or an intranet host (SSRF). So an address is
refused when any address its host resolves to is loopback, private, link-local, multicast, reserved
or unspecified (an IPv6 address carrying an IPv4 one is judged by the IPv4 one), or when it carries
a user name or password.

It is checked when saved (a clear error on the form) and again when sending, because DNS may change
in between; the sender then connects to exactly the addresses checked here (`Target.addresses`),
never resolving the name a second time. A deployment whose robot gateway sits on the intranet lists
its networks in WEBHOOK_ALLOWED_NETWORKS.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# NAT64's well-known prefix: 64:ff9b::a.b.c.d reaches the IPv4 address a.b.c.d through a gateway.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not the internet either


class RefusedAddress(ValueError):
    """The URL must not be posted to; the message says which address and why."""


@dataclass(frozen=True)
class Target:
    """A vetted robot URL: connect to `addresses` (in order), name `host` in Host and TLS."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def resolve(host: str, port: int) -> list[str]:
    """The addresses a host name stands for right now (an IP literal stands for itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def webhook_target(url: str) -> Target:
    """Resolve the URL's host and vet every address; raise RefusedAddress for an unsafe one, or
    OSError when the name cannot be resolved now."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedAddress(_("群机器人地址 %(url)s 不是 http(s) 网址。") % {"url": url})
    if parts.username is not None or parts.password is not None:
        raise RefusedAddress(
            _("群机器人地址（%(host)s）含有用户名或密码，不能使用：请去掉地址中“@”及其前面的部分。")
            % {"host": parts.hostname}
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise RefusedAddress(_("群机器人地址 %(url)s 的端口无效。") % {"url": url}) from None
    addresses = resolve(parts.hostname, port)
    for address in addresses:
        kind = _unfit(ipaddress.ip_address(address))
        if kind:
            raise RefusedAddress(
                _(
                    "群机器人地址 %(url)s 指向%(kind)s %(address)s，不能使用：群机器人须是互联网上的"
                    "地址。如机器人网关在本单位内网，请系统管理员在 WEBHOOK_ALLOWED_NETWORKS 中放行"
                    "其网段。"
                )
                % {"url": url, "kind": kind, "address": address}
            )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, tuple(addresses))


def validate_webhook_url(url: str) -> None:
    """The model field's validator (the admin, the department head's page). A name that does not
    resolve at the moment is let through: the send checks it again anyway."""
    if not url:
        return
    try:
        webhook_target(url)
    except RefusedAddress as refused:
        raise ValidationError(str(refused), code="unsafe_webhook") from None
    except OSError:
        pass


def _unfit(ip: IPAddress) -> str | None:
    """What kind of address the worker must not connect to this is (None: it may)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped or ip.sixtofour:
            ip = ip.ipv4_mapped or ip.sixtofour
        elif ip in NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if any(ip in ipaddress.ip_network(net) for net in settings.WEBHOOK_ALLOWED_NETWORKS):
        return None
    if ip.is_unspecified:
        return _("未指定地址")
    if ip.is_loopback:
        return _("本机回环地址")
    if ip.is_link_local:
        return _("链路本地地址")
    if ip.is_multicast:
        return _("组播地址")
    if ip.is_reserved:
        return _("保留地址")
    if ip.is_private or ip in SHARED or getattr(ip, "is_site_local", False):
        return _("内网地址")
    if not ip.is_global:
        return _("保留地址")
    return None
