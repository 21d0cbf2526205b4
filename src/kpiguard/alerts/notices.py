"""What one robot message says: an alert, a summary of alerts held back, or a test.

Every platform format is built from a ``Notice``: a bilingual title, bilingual markdown, and
``data`` (the JSON object the generic webhook posts). Chinese first, then English: the groups
these robots post to are mostly Chinese-speaking operators, and the seller may not be. Every
text carries the word "kpiguard", so a DingTalk robot secured by keyword can be set to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from kpiguard.alerts import text
from kpiguard.alerts.model import Bilingual, StoredAlert

NoticeKind = Literal["alert", "summary", "test"]


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    title: Bilingual
    markdown: Bilingual
    data: dict[str, Any]
    alert_ids: tuple[int, ...] = ()

    def both_title(self) -> str:
        return f"kpiguard: {self.title.zh} / {self.title.en}"

    def both_markdown(self) -> str:
        # no "---" rule between the languages: neither DingTalk's nor WeCom's markdown subset has one;
        # the English part opens with its own heading
        return f"{self.markdown.zh}\n\n{self.markdown.en}"


def _footer(s: StoredAlert) -> Bilingual:
    a = s.alert
    stores = ", ".join(a.stores)
    return Bilingual(
        f"kpiguard · plan {a.plan_id} v{a.plan_version} · store {stores} · alert #{s.alert_id} · "
        f"`kpiguard alerts ack {s.alert_id}`",
        f"kpiguard · 考核方案 {a.plan_id} v{a.plan_version} · 店铺 {stores} · 预警 #{s.alert_id} · "
        f"`kpiguard alerts ack {s.alert_id}`")


def for_alert(s: StoredAlert) -> Notice:
    a = s.alert
    sev = text.SEVERITY[a.severity]
    foot = _footer(s)
    md = Bilingual(f"### [{sev.en}] {a.title.en}\n\n{a.body.en}\n\n{foot.en}",
                   f"### 【{sev.zh}】{a.title.zh}\n\n{a.body.zh}\n\n{foot.zh}")
    return Notice("alert", Bilingual(f"[{sev.en}] {a.title.en}", f"【{sev.zh}】{a.title.zh}"), md,
                  {"type": "alert", "alert": s.to_dict()}, (s.alert_id,))


def summary(held: list[StoredAlert], max_per_hour: int) -> Notice:
    """Alerts over the webhook's hourly limit, as one message instead of many."""
    n = len(held)
    title = Bilingual(f"{n} more alerts", f"另有 {n} 条预警")
    en_lines = [f"- [{text.SEVERITY[s.alert.severity].en}] #{s.alert_id} {s.alert.title.en}" for s in held]
    zh_lines = [f"- 【{text.SEVERITY[s.alert.severity].zh}】#{s.alert_id} {s.alert.title.zh}" for s in held]
    md = Bilingual(
        f"### kpiguard: {title.en}\n\nThis webhook sends at most {max_per_hour} messages an hour; "
        f"these alerts are summed up here:\n\n" + "\n".join(en_lines) + "\n\nDetails: `kpiguard alerts list`",
        f"### kpiguard：{title.zh}\n\n该Webhook每小时最多发送 {max_per_hour} 条消息，以下预警合并发送：\n\n"
        + "\n".join(zh_lines) + "\n\n详情：`kpiguard alerts list`")
    return Notice("summary", title, md, {"type": "summary", "max_per_hour": max_per_hour,
                                         "alerts": [s.to_dict() for s in held]},
                  tuple(s.alert_id for s in held))


def test(webhook: str, now: datetime) -> Notice:
    title = Bilingual("test message", "测试消息")
    md = Bilingual(f"### kpiguard: test message\n\nWebhook `{webhook}` is set up; alerts will arrive here. "
                   f"({now:%Y-%m-%d %H:%M} UTC)",
                   f"### kpiguard：测试消息\n\nWebhook `{webhook}` 已配置成功，预警将发送到这里。"
                   f"（{now:%Y-%m-%d %H:%M} UTC）")
    return Notice("test", title, md, {"type": "test", "webhook": webhook, "sent_at_utc": now.isoformat()})
