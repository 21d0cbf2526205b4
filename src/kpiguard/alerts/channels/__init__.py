"""Webhook formats, one module each, registered by the ``--kind`` a user gives."""

from __future__ import annotations

from kpiguard.alerts.channels import dingtalk, feishu, generic, wecom
from kpiguard.alerts.channels.base import Channel

CHANNELS: dict[str, Channel] = {c.kind: c for c in (generic.CHANNEL, dingtalk.CHANNEL, feishu.CHANNEL, wecom.CHANNEL)}
